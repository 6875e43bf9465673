"""Notifications: in-app messages, the e-mail/SMS outbox, and which reminders were already sent."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, func, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from crm.accounts.users import User
from crm.base import CrmBase, utcnow

MESSAGE_STATUSES = ("pending", "sent", "kept", "failed", "undeliverable")
"""``kept``: no transport is configured (embedded default), so the outbox is the message's destination."""


class Notification(CrmBase):
    """An in-app message shown under the bell until read."""

    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    read_at: Mapped[dt.datetime | None]


class OutboxMessage(CrmBase):
    """An e-mail or text message; a ``deliver_message`` job sends it, or keeps it here if no transport."""

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"), index=True)
    address: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    sent_at: Mapped[dt.datetime | None]


class ReminderSent(CrmBase):
    """One row per (task, kind) reminded, so a reminder never goes out twice."""

    __tablename__ = "reminder_sent"
    __table_args__ = (UniqueConstraint("task_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(20))
    sent_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


def add_notification(session: Session, user: User, subject: str, body: str = "", link: str = "") -> Notification:
    """Put a message under the user's bell."""
    note = Notification(user_id=user.id, subject=subject[:300], body=body, link=link[:500])
    session.add(note)
    return note


def unread_count(session: Session, user_id: int) -> int:
    return session.scalar(
        select(func.count()).select_from(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
    )


def recent(session: Session, user_id: int, limit: int = 50) -> list[Notification]:
    """The user's newest notifications, unread ones first."""
    return list(session.scalars(
        select(Notification).where(Notification.user_id == user_id)
        .order_by(Notification.read_at.is_not(None), Notification.id.desc()).limit(limit)
    ))


def mark_read(session: Session, user_id: int, notification_id: int | None = None) -> Notification | None:
    """Mark one notification (or, with no id, all) of the user read; returns the one marked."""
    if notification_id is None:
        session.execute(update(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
                        .values(read_at=utcnow()))
        return None
    note = session.get(Notification, notification_id)
    if note is None or note.user_id != user_id:
        return None
    note.read_at = note.read_at or utcnow()
    return note


def outbox(session: Session, user_id: int | None, limit: int = 100) -> list[OutboxMessage]:
    """Newest e-mails and text messages: one user's, or everyone's when ``user_id`` is None."""
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)
    if user_id is not None:
        query = query.where(OutboxMessage.user_id == user_id)
    return list(session.scalars(query))


def reminded(session: Session, task_id: str, kind: str) -> None:
    """Record that the ``kind`` reminder of a task went out."""
    session.add(ReminderSent(task_id=task_id, kind=kind))
