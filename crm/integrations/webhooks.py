"""Webhooks: an administrator registers a URL and the events it wants; each event becomes one delivery row and an
outbox job (``deliver_webhook``) written in the same transaction as the change, so nothing is sent for a change
that rolls back and nothing is lost when the queue is away. The sending itself is
:mod:`services.integrations.webhook_sender`; the pages name the events (:mod:`web.admin.webhooks`).

A hook whose deliveries keep failing is paused after ``pause_after`` failed attempts in a row; events for a paused
hook are kept (``held``) and sent when an administrator resumes it. A hook's signing secret is stored sealed
(:mod:`crm.sealing`).
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from typing import Any

from sqlalchemy import ForeignKey, String, Text, exists, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from crm import sealing
from crm.base import CrmBase, utcnow
from engine.outbox import enqueue

EVENTS: tuple[str, ...] = ("task.created", "task.completed", "process.completed", "process.failed",
                           "contract.approved", "payment.received", "service_request.created")
"""The events a hook may subscribe to."""
DELIVER_KIND = "deliver_webhook"
RETRY_SECONDS = (30, 120, 600, 3600)
"""Wait before each further attempt of a delivery that failed; after the last one it is marked failed."""


class Webhook(CrmBase):
    __tablename__ = "webhook"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(500))
    events: Mapped[str] = mapped_column(String(500))
    """Subscribed event keys, comma-separated."""
    sealed_secret: Mapped[str] = mapped_column("secret", Text)
    """The signing secret, sealed (:mod:`crm.sealing`): a database dump does not reveal it."""
    description: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(default=True)
    paused_at: Mapped[dt.datetime | None]
    failures: Mapped[int] = mapped_column(default=0)
    """Failed attempts in a row (a success sets it back to 0)."""
    created_by: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    deliveries: Mapped[list[WebhookDelivery]] = relationship(back_populates="webhook")

    @property
    def secret(self) -> str:
        """Signs every delivery (HMAC-SHA256); shown to administrators to configure the receiver.
        :class:`crm.sealing.SealBroken` when ``SECRET_KEY`` changed since the hook was registered."""
        return sealing.unseal(self.sealed_secret)

    @property
    def event_keys(self) -> list[str]:
        return [key for key in self.events.split(",") if key]


class WebhookDelivery(CrmBase):
    """One event sent (or to be sent) to one hook, with how its attempts went."""

    __tablename__ = "webhook_delivery"

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_id: Mapped[int] = mapped_column(ForeignKey("webhook.id", ondelete="CASCADE"), index=True)
    event: Mapped[str] = mapped_column(String(50))
    body: Mapped[str] = mapped_column(Text)
    """The JSON sent, fixed when the event happened (a retry sends the same bytes)."""
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    """pending (an attempt is queued), delivered, failed (no attempt left), held (the hook is paused)."""
    attempts: Mapped[int] = mapped_column(default=0)
    response_status: Mapped[int | None]
    last_error: Mapped[str] = mapped_column(Text, default="")
    next_attempt_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[dt.datetime | None]

    webhook: Mapped[Webhook] = relationship(back_populates="deliveries")


def create_webhook(session: Session, url: str, events: list[str], by: str, description: str = "") -> Webhook:
    """A new active hook with a fresh secret (``url`` and ``events`` already checked by the caller)."""
    hook = Webhook(url=url, events=",".join(key for key in EVENTS if key in events),
                   sealed_secret=sealing.seal(secrets.token_hex(32)), description=description[:200], created_by=by)
    session.add(hook)
    session.flush()
    session.info.pop(_ACTIVE_HOOKS, None)
    return hook


def emit(session: Session, event: str, data: dict[str, Any]) -> list[WebhookDelivery]:
    """Record ``event`` for every active hook that subscribed to it; sent after the commit by an outbox job."""
    if event not in EVENTS:
        raise ValueError(f"unknown webhook event {event!r}")
    hooks = [hook for hook in _active_hooks(session) if hook.active and hook in session and event in hook.event_keys]
    made = []
    for hook in hooks:
        delivery = WebhookDelivery(webhook=hook, event=event, body="", status="held" if hook.paused_at else "pending")
        session.add(delivery)
        session.flush()
        delivery.body = json.dumps({"id": delivery.id, "event": event,
                                    "occurred_at": utcnow().isoformat(timespec="seconds") + "Z", "data": data},
                                   default=str, separators=(",", ":"))
        if not hook.paused_at:
            enqueue(session, None, DELIVER_KIND, {"delivery_id": delivery.id})
        made.append(delivery)
    return made


def _active_hooks(session: Session) -> list[Webhook]:
    """The active hooks, read once per transaction: one engine step emits up to three events (a task completed,
    the next one created, the process completed). A hook created in the transaction is read again; one removed,
    paused or edited is the same loaded object, so ``emit`` sees its change."""
    transaction = session.get_transaction()
    read = session.info.get(_ACTIVE_HOOKS)
    if read is None or read[0] is not transaction:
        read = session.info[_ACTIVE_HOOKS] = (transaction, list(
            session.scalars(select(Webhook).where(Webhook.active.is_(True)))))
    return read[1]


_ACTIVE_HOOKS = "webhooks_active"
"""``session.info`` key: (the transaction, the active hooks it read)."""

ANY_ACTIVE = exists().where(Webhook.active.is_(True)).label("webhooks_any_active")
"""Whether any hook is active: asked along with an engine step's write (:class:`engine.riders.Rider`)."""


def note_any_active(session: Session, any_active: bool, rows: object = ()) -> None:
    """The answer to :data:`ANY_ACTIVE` (``rows``: the step's new tasks, not needed): none active means this
    transaction's events go nowhere, known without a read. A hook created later in the transaction is read again
    (:func:`create_webhook`)."""
    transaction = session.get_transaction()
    read = session.info.get(_ACTIVE_HOOKS)
    if not any_active and (read is None or read[0] is not transaction):
        session.info[_ACTIVE_HOOKS] = (transaction, [])


def record_attempt(session: Session, delivery: WebhookDelivery, ok: bool, status: int | None, error: str,
                   pause_after: int) -> None:
    """Write how an attempt went; queue the next one (with backoff) or give up; pause a hook failing too often."""
    now = utcnow()
    hook = delivery.webhook
    delivery.attempts += 1
    delivery.response_status, delivery.last_error = status, error[:2000]
    if ok:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = "delivered", now, None
        hook.failures = 0
        return
    hook.failures += 1
    if delivery.attempts > len(RETRY_SECONDS):
        delivery.status, delivery.next_attempt_at = "failed", None
    else:
        wait = dt.timedelta(seconds=RETRY_SECONDS[delivery.attempts - 1])
        delivery.next_attempt_at = now + wait
        enqueue(session, None, DELIVER_KIND, {"delivery_id": delivery.id}, delay=wait)
    if hook.failures >= pause_after and hook.paused_at is None:
        hook.paused_at = now


def hold(delivery: WebhookDelivery) -> None:
    """Keep a delivery of a paused hook until the hook is resumed."""
    delivery.status, delivery.next_attempt_at = "held", None


def resume(session: Session, hook: Webhook) -> int:
    """Unpause ``hook`` and queue its held deliveries again; returns how many."""
    hook.paused_at, hook.failures = None, 0
    held = list(session.scalars(select(WebhookDelivery).where(WebhookDelivery.webhook_id == hook.id,
                                                              WebhookDelivery.status == "held")
                                .order_by(WebhookDelivery.id)))
    for delivery in held:
        delivery.status = "pending"
        enqueue(session, None, DELIVER_KIND, {"delivery_id": delivery.id})
    return len(held)


def pause(hook: Webhook) -> None:
    """Stop sending to ``hook`` (its new events are held) until resumed."""
    if hook.paused_at is None:
        hook.paused_at = utcnow()
