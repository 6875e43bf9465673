"""Every contact with a customer is an activity with its next action; daily plans group a day's activities."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from crm.accounts.users import User
from crm.base import CrmBase, utcnow
from crm.change_tracking import ChangeTracked
from crm.customers.models import Customer
from i18n import _, _l

ACTIVITY_KINDS = {"call": _l("Call"), "visit": _l("Visit"), "meeting": _l("Meeting"), "email": _l("E-mail")}


class Activity(ChangeTracked, CrmBase):
    """A planned or completed contact; ``planned_for`` puts it on its owner's daily plan."""

    __tablename__ = "activity"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id"))
    opportunity_id: Mapped[int | None] = mapped_column(ForeignKey("opportunity.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20), default="planned")  # planned | done | cancelled
    planned_for: Mapped[dt.date | None] = mapped_column(index=True)
    done_at: Mapped[dt.datetime | None] = mapped_column(index=True)
    outcome: Mapped[str] = mapped_column(Text, default="")
    next_action: Mapped[str] = mapped_column(String(300), default="")
    next_action_date: Mapped[dt.date | None]
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    instance_id: Mapped[int | None] = mapped_column(index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime | None] = mapped_column(default=utcnow, index=True)
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    """The ETag of the API: raised by every change (:mod:`crm.change_tracking`)."""

    customer: Mapped[Customer] = relationship()
    owner: Mapped[User | None] = relationship()


class DailyPlan(CrmBase):
    """A salesperson's plan for one day: own notes and the manager's evaluation."""

    __tablename__ = "daily_plan"
    __table_args__ = (UniqueConstraint("owner_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    day: Mapped[dt.date]
    notes: Mapped[str] = mapped_column(Text, default="")
    manager_comment: Mapped[str] = mapped_column(Text, default="")
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    reviewed_at: Mapped[dt.datetime | None]

    owner: Mapped[User] = relationship(foreign_keys=[owner_id])
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])


def plan_activity(
    session: Session, customer: Customer, owner: User | None, kind: str, subject: str, day: dt.date | None, *,
    contact_id: int | None = None, opportunity_id: int | None = None, instance_id: int | None = None,
) -> Activity:
    """A planned activity (on ``day``'s plan when given)."""
    if kind not in ACTIVITY_KINDS:
        raise ValueError(_("Unknown activity kind %(kind)s.", kind=repr(kind)))
    activity = Activity(customer=customer, owner=owner, kind=kind, subject=subject, planned_for=day,
                        contact_id=contact_id, opportunity_id=opportunity_id, instance_id=instance_id)
    session.add(activity)
    session.flush()
    return activity


def complete_activity(
    session: Session, activity: Activity, outcome: str, *, next_action: str = "",
    next_action_date: dt.date | None = None, at: dt.datetime | None = None,
) -> Activity | None:
    """Record what happened; a next action with a date becomes a planned follow-up (returned)."""
    activity.status, activity.done_at, activity.outcome = "done", at or utcnow(), outcome
    activity.next_action, activity.next_action_date = next_action, next_action_date
    follow_up = None
    if next_action and next_action_date:
        follow_up = plan_activity(session, activity.customer, activity.owner, activity.kind, next_action,
                                  next_action_date, contact_id=activity.contact_id,
                                  opportunity_id=activity.opportunity_id, instance_id=activity.instance_id)
    session.flush()
    return follow_up


@dataclass
class PlanView:
    """A day's plan of one person: the plan row (None until written) and that day's activities."""

    owner: User
    day: dt.date
    plan: DailyPlan | None
    activities: list[Activity]

    @property
    def done(self) -> int:
        return sum(1 for a in self.activities if a.status == "done")

    @property
    def completion(self) -> int:
        """Percent of the day's activities carried out."""
        return round(100 * self.done / len(self.activities)) if self.activities else 0


def daily_plan(session: Session, owner: User, day: dt.date) -> PlanView:
    """``owner``'s plan for ``day``."""
    plan = session.scalar(select(DailyPlan).where(DailyPlan.owner_id == owner.id, DailyPlan.day == day))
    activities = list(session.scalars(
        select(Activity).where(Activity.owner_id == owner.id, Activity.planned_for == day,
                               Activity.status != "cancelled").order_by(Activity.id)
    ))
    return PlanView(owner, day, plan, activities)


def _plan_row(session: Session, owner: User, day: dt.date) -> DailyPlan:
    plan = session.scalar(select(DailyPlan).where(DailyPlan.owner_id == owner.id, DailyPlan.day == day))
    if plan is None:
        plan = DailyPlan(owner=owner, day=day)
        session.add(plan)
    return plan


def save_plan_notes(session: Session, owner: User, day: dt.date, notes: str) -> DailyPlan:
    """The salesperson's own notes on the day's plan."""
    plan = _plan_row(session, owner, day)
    plan.notes = notes
    session.flush()
    return plan


def comment_plan(session: Session, owner: User, day: dt.date, manager: User, comment: str) -> DailyPlan:
    """A manager's evaluation and guidance on a subordinate's day."""
    plan = _plan_row(session, owner, day)
    plan.manager_comment, plan.reviewed_by, plan.reviewed_at = comment, manager, utcnow()
    session.flush()
    return plan
