"""The ``deliver_webhook`` job: sign a delivery's body and POST it to its hook, connecting to the address the
target check approved (:mod:`services.admin.webhook_targets`), never following a redirect.

Headers: ``X-CRM-Event``, ``X-CRM-Delivery`` (the delivery id: a receiver seeing it twice may ignore it),
``X-CRM-Timestamp`` (Unix seconds) and ``X-CRM-Signature: sha256=<hex>``, the HMAC-SHA256 with the hook's secret
of ``<timestamp>.<body>``. A receiver recomputes it and refuses a timestamp older than a few minutes (replay).
Any 2xx answer is a success; anything else, a timeout or a refused target is a failed attempt.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass

import urllib3
from sqlalchemy.orm import Session

from crm.integrations import webhooks
from crm.integrations.webhooks import WebhookDelivery
from crm.sealing import SealBroken
from engine.models import OutboxJob
from services.admin.webhook_targets import Target, TargetRefused, check_target

USER_AGENT = "ProcessCRM-Webhooks/1"
TIMEOUT = urllib3.Timeout(connect=5.0, read=10.0)
UNREADABLE_SECRET = "secret unreadable: SECRET_KEY changed since the hook was registered; register the hook again"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """``sha256=<hex>``: HMAC-SHA256 with ``secret`` of ``b"<timestamp>." + body``."""
    digest = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def post(target: Target, headers: dict[str, str], body: bytes) -> int:
    """POST ``body`` to the checked address of ``target`` (Host and TLS name are the URL's); the status code."""
    options = {"host": target.address, "port": target.port, "timeout": TIMEOUT, "retries": False, "maxsize": 1}
    if target.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(server_hostname=target.host, assert_hostname=target.host,
                                           cert_reqs="CERT_REQUIRED", **options)
    else:
        pool = urllib3.HTTPConnectionPool(**options)
    host = target.host if target.port in (80, 443) else f"{target.host}:{target.port}"
    with pool:
        answer = pool.urlopen("POST", target.path, body=body, headers={**headers, "Host": host}, redirect=False,
                              preload_content=False)
        answer.drain_conn()
        return answer.status


@dataclass
class WebhookSender:
    """Sends deliveries; ``allow_private`` lets loopback/private targets through (tests, an intranet ERP)."""

    allow_private: bool = False
    pause_after: int = 10

    def deliver(self, session: Session, job: OutboxJob, payload: dict) -> None:
        """Job kind ``deliver_webhook``: one attempt; the outcome (and the next attempt) is written on the row."""
        delivery = session.get(WebhookDelivery, payload.get("delivery_id"), with_for_update=True)
        if delivery is None or delivery.status != "pending":
            return
        hook = delivery.webhook
        if hook.paused_at is not None or not hook.active:
            webhooks.hold(delivery)
            return
        body = delivery.body.encode()
        stamp = int(time.time())
        try:
            secret = hook.secret
        except SealBroken:
            webhooks.record_attempt(session, delivery, False, None, UNREADABLE_SECRET, self.pause_after)
            return
        headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT, "X-CRM-Event": delivery.event,
                   "X-CRM-Delivery": str(delivery.id), "X-CRM-Timestamp": str(stamp),
                   "X-CRM-Signature": signature(secret, stamp, body)}
        status, error = None, ""
        try:
            status = post(check_target(hook.url, self.allow_private), headers, body)
            if not 200 <= status < 300:
                error = f"HTTP {status}" + (" (redirects are not followed)" if 300 <= status < 400 else "")
        except TargetRefused as exc:
            error = f"target refused: {exc}"
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            error = f"{exc.__class__.__name__}: {exc}"
        webhooks.record_attempt(session, delivery, not error, status, error, self.pause_after)
