"""What the webhook admin pages and the health page ask: the hooks, one hook's deliveries, the paused ones."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm.integrations import webhooks
from crm.integrations.webhooks import Webhook, WebhookDelivery
from i18n import _
from services.admin.webhook_targets import TargetRefused, check_target

DELIVERIES_SHOWN = 100
__all__ = ["NoEvents", "TargetRefused", "all_hooks", "counts", "deliveries", "hook_by_id", "paused_hooks", "register"]


class NoEvents(ValueError):
    """A hook must subscribe to at least one known event."""


def all_hooks(session: Session) -> list[Webhook]:
    """Every active hook, oldest first."""
    return list(session.scalars(select(Webhook).where(Webhook.active.is_(True)).order_by(Webhook.id)))


def hook_by_id(session: Session, hook_id: int) -> Webhook | None:
    return session.get(Webhook, hook_id)


def deliveries(session: Session, hook_id: int, status: str = "") -> list[WebhookDelivery]:
    """The hook's newest deliveries (of one status, if given)."""
    query = select(WebhookDelivery).where(WebhookDelivery.webhook_id == hook_id)
    if status:
        query = query.where(WebhookDelivery.status == status)
    return list(session.scalars(query.order_by(WebhookDelivery.id.desc()).limit(DELIVERIES_SHOWN)))


def counts(session: Session, hook_id: int) -> dict[str, int]:
    """Deliveries of the hook per status."""
    rows = session.execute(select(WebhookDelivery.status, func.count()).where(WebhookDelivery.webhook_id == hook_id)
                           .group_by(WebhookDelivery.status))
    return {status: count for status, count in rows}


def paused_hooks(session: Session) -> list[Webhook]:
    """Active hooks that are paused (the health page lists them)."""
    return list(session.scalars(select(Webhook).where(Webhook.active.is_(True), Webhook.paused_at.is_not(None))
                                .order_by(Webhook.paused_at)))


def register(session: Session, url: str, events: list[str], by: str, description: str, allow_private: bool
             ) -> Webhook:
    """A new hook once its URL passed the target check (:class:`TargetRefused` otherwise) and it names at least one
    known event (:class:`NoEvents` otherwise)."""
    check_target(url, allow_private)
    if not events or set(events) - set(webhooks.EVENTS):
        raise NoEvents(_("Choose at least one of the listed events."))
    return webhooks.create_webhook(session, url.strip(), events, by, description)
