"""One way to tell people something, whatever the channel.

In-app notifications are written at once. E-mails and text messages become ``outbox_message`` rows
plus a ``deliver_message`` job, so nothing is sent inside a request and nothing is sent if the
transaction rolls back. Without a configured transport (the embedded default) the job keeps the
message in the outbox, where the outbox page shows it.

Handlers reach the notifier as ``ctx.services["notifier"]``::

    ctx.services["notifier"].notify(ctx.session, ["role:finance", "sales"], "Contract 12 approved",
                                    "Please book the advance.", channels=("in_app", "sms"))
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

import i18n
from crm.accounts.access import users_with_role
from crm.accounts.users import User
from crm.notifications.messages import OutboxMessage, add_notification
from engine.models import OutboxJob, utcnow
from engine.outbox import enqueue
from i18n import _, zones
from services.notifications.channels import Transport

CHANNELS = ("in_app", "email", "sms")
Text = str | Callable[[], str]
"""A message text, or a function writing it for the current recipient (their time zone is current)."""
DELIVER_KIND = "deliver_message"


def wants(user: User, channel: str) -> bool:
    """Whether ``user`` takes messages on ``channel`` (their own account page sets e-mail and SMS)."""
    return {"email": user.notify_email, "sms": user.notify_sms}.get(channel, True)


class Notifier:
    """Sends notifications over in-app, e-mail and SMS; ``deliver`` is the ``deliver_message`` job."""

    def __init__(self, transports: Mapping[str, Transport], site_language: str = ""):
        self.transports = dict(transports)
        self.site_language = site_language

    def notify(self, session: Session, to: str | Iterable[str], subject: Text, body: Text = "",
               channels: Iterable[str] = ("in_app",), link: str = "") -> list[User]:
        """Notify users; each item of ``to`` is a username or ``"role:<key>"``. Returns who was notified.

        ``subject`` and ``body`` may be functions returning the text: they are called once per recipient in that
        recipient's language (their own, else the site's) with times shown in their time zone
        (:func:`i18n.zones.force_zone`). Unknown usernames raise
        :class:`LookupError`; inactive users are skipped.
        """
        channels = tuple(channels)
        unknown = set(channels) - set(CHANNELS)
        if unknown:
            raise ValueError(f"unknown notification channel(s): {', '.join(sorted(unknown))}")
        users = recipients(session, to)
        for user in users:
            with zones.force_zone(user.timezone), i18n.force_locale(user.language or self.site_language):
                subject_text, body_text = _text(subject), _text(body)
            for channel in channels:
                if channel == "in_app":
                    add_notification(session, user, subject_text, body_text, link)
                elif wants(user, channel):
                    self._queue(session, channel, user, subject_text, body_text)
        session.flush()
        return users

    def _queue(self, session: Session, channel: str, user: User, subject: str, body: str) -> None:
        address = user.email if channel == "email" else user.phone
        message = OutboxMessage(channel=channel, user_id=user.id, address=address, subject=subject[:300], body=body)
        if not address:
            missing = _("%(user)s has no e-mail address") if channel == "email" else _("%(user)s has no mobile number")
            message.status, message.error = "undeliverable", missing % {"user": user.username}
        session.add(message)
        session.flush()
        if address:
            enqueue(session, None, DELIVER_KIND, {"message_id": message.id})

    def deliver(self, session: Session, job: OutboxJob, payload: dict) -> None:
        """Job kind ``deliver_message``: send one outbox message, or keep it when no transport is set.

        A failed send is retried by the job runner; after the last attempt the message is marked failed.
        """
        message = session.get(OutboxMessage, payload["message_id"], with_for_update=True)
        if message is None or message.status != "pending":
            return
        transport = self.transports.get(message.channel)
        if transport is None:
            message.status = "kept"
            return
        try:
            transport.send(message.address, message.subject, message.body)
        except Exception as exc:
            if job.attempts < job.max_attempts:
                raise  # the job runner retries with backoff
            message.status, message.error = "failed", f"{exc.__class__.__name__}: {exc}"
            return
        message.status, message.sent_at = "sent", utcnow()


def _text(text: Text) -> str:
    return text() if callable(text) else text


def recipients(session: Session, to: str | Iterable[str]) -> list[User]:
    """Active users named by usernames and ``"role:<key>"`` items, each once, in order."""
    found: dict[int, User] = {}
    for item in [to] if isinstance(to, str) else to:
        if item.startswith("role:"):
            users = users_with_role(session, item[5:])
        else:
            user = session.scalar(select(User).where(User.username == item))
            if user is None:
                raise LookupError(f"no user {item!r} to notify")
            users = [user] if user.active else []
        found.update((u.id, u) for u in users if u.id not in found)
    return list(found.values())
