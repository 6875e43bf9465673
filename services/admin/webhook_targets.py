"""Where a webhook may point: http(s) only, and — unless the deployment allows it — never at this machine or a
private network (no SSRF). The host is resolved and *every* address checked; the send then connects to a checked
address itself (:mod:`services.integrations.webhook_sender`), so a DNS answer that changes between the check and
the connection cannot redirect it, and redirects are never followed."""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from i18n import _

MAX_URL_LENGTH = 500


class TargetRefused(ValueError):
    """The URL cannot be a webhook target (the message says why)."""


@dataclass(frozen=True)
class Target:
    """A checked target: where to connect, and what to tell the server (Host, TLS name, path)."""

    scheme: str
    host: str
    port: int
    path: str
    address: str


def check_target(url: str, allow_private: bool) -> Target:
    """The checked target of ``url`` (:class:`TargetRefused` says what is wrong)."""
    if len(url) > MAX_URL_LENGTH:
        raise TargetRefused(_("At most %(n)s characters.", n=MAX_URL_LENGTH))
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise TargetRefused(_("Not a valid URL.")) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TargetRefused(_("Enter an http:// or https:// URL with a host name."))
    if parts.username or parts.password:
        raise TargetRefused(_("No user name or password in the URL: the signature proves who is calling."))
    port = port or (443 if parts.scheme == "https" else 80)
    try:
        found = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise TargetRefused(_("The host name does not resolve (%(reason)s).", reason=exc)) from None
    addresses = sorted({info[4][0] for info in found})
    if not addresses:
        raise TargetRefused(_("The host name does not resolve."))
    if not allow_private:
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%")[0])
            if not ip.is_global or ip.is_multicast:
                raise TargetRefused(_("%(host)s resolves to %(address)s, a loopback, private or reserved address: "
                                      "not allowed as a webhook target.", host=parts.hostname, address=address))
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, parts.hostname, port, path, addresses[0])
