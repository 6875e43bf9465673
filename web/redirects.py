"""Where a ``next``/back parameter (or the Referer) may send the browser: paths on this site only.

Every redirect to a place named by the client goes through :func:`safe_next`. Control characters are
refused, not stripped (browsers drop a tab or newline *after* a check, which turned ``/\\t/evil.example``
into ``//evil.example``), and so is a backslash (browsers read ``/\\evil.example`` as ``//evil.example``).
"""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit, urlunsplit

from flask import has_request_context, request

MAX_LENGTH = 2000
REFUSED = {"Cc", "Cf", "Zl", "Zp"}  # control and invisible formatting characters, line/paragraph separators


def safe_next(value: object, default: str = "/") -> str:
    """``value`` if it names a path on this site (an absolute URL of this host counts), else ``default``.

    The answer is a path with its query and fragment (``/worklist/?page=2``), never a scheme or host.
    """
    if not isinstance(value, str) or not value or len(value) > MAX_LENGTH:
        return default
    if "\\" in value or value != value.strip() or any(unicodedata.category(ch) in REFUSED for ch in value):
        return default
    try:
        parts = urlsplit(value)
    except ValueError:  # e.g. an unbalanced IPv6 bracket
        return default
    if (parts.scheme or parts.netloc) and not (parts.scheme in ("http", "https") and _this_host(parts.netloc)):
        return default
    path = parts.path
    if not path.startswith("/") or path.startswith("//"):
        return default
    return urlunsplit(("", "", path, parts.query, parts.fragment))


def _this_host(netloc: str) -> bool:
    return has_request_context() and netloc.lower() == request.host.lower()
