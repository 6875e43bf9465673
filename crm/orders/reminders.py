"""Reminders about contracts in approval and payment plan lines: kept on the record whether or not sent."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from crm.base import CrmBase, utcnow

REMINDER_KINDS = ("approval_request", "approval_reminder", "escalation", "payment_due", "payment_overdue")


class Reminder(CrmBase):
    """One reminder: to whom, about what; ``sent`` is False when no notifier was configured to send it."""

    __tablename__ = "order_reminder"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    plan_line_id: Mapped[int | None] = mapped_column(
        ForeignKey("payment_plan_line.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(30))
    channel: Mapped[str] = mapped_column(String(20), default="sms")
    recipients: Mapped[str] = mapped_column(Text, default="")
    message: Mapped[str] = mapped_column(Text)
    sent: Mapped[bool] = mapped_column(default=False)
    instance_id: Mapped[int | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


def record(
    session: Session, kind: str, message: str, recipients: list[str], *, sent: bool,
    contract_id: int | None = None, plan_line_id: int | None = None, instance_id: int | None = None,
) -> Reminder:
    """Keep a reminder on its contract or plan line."""
    if kind not in REMINDER_KINDS:
        raise ValueError(f"unknown reminder kind {kind!r}")
    reminder = Reminder(kind=kind, message=message, recipients=", ".join(recipients), sent=sent,
                        contract_id=contract_id, plan_line_id=plan_line_id, instance_id=instance_id)
    session.add(reminder)
    session.flush()
    return reminder


def for_contract(session: Session, contract_id: int) -> list[Reminder]:
    return list(session.scalars(select(Reminder).where(Reminder.contract_id == contract_id).order_by(Reminder.id)))


def for_plan_lines(session: Session, line_ids: list[int]) -> list[Reminder]:
    return list(session.scalars(
        select(Reminder).where(Reminder.plan_line_id.in_(line_ids)).order_by(Reminder.id)
    ))
