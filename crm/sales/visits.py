"""Customer visits (salesperson goes out) and receptions (the customer comes to us)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from crm.accounts.users import User
from crm.base import CrmBase, utcnow
from crm.customers.models import Customer
from crm.sales.activities import Activity, complete_activity, plan_activity
from crm.sales.labels import written_for
from i18n import _, zones

MONEY = Numeric(14, 2)
VISIT_STATUSES = ("planning", "applied", "approved", "rejected", "cancelled", "visited", "reported", "closed")
RECEPTION_STATUSES = ("planning", "applied", "approved", "rejected", "cancelled", "held", "reported", "closed")


class Visit(CrmBase):
    __tablename__ = "visit"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id"))
    visitor_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(300), default="")
    planned_date: Mapped[dt.date | None]
    objectives: Mapped[str] = mapped_column(Text, default="")
    budget: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    approval_level: Mapped[str] = mapped_column(String(50), default="")
    status: Mapped[str] = mapped_column(String(20), default="planning")
    advance_paid: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    visited_on: Mapped[dt.date | None]
    needs: Mapped[str] = mapped_column(Text, default="")
    objections: Mapped[str] = mapped_column(Text, default="")
    gifts: Mapped[str] = mapped_column(Text, default="")
    gift_value: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    next_visit_date: Mapped[dt.date | None]
    report: Mapped[str] = mapped_column(Text, default="")
    instance_id: Mapped[int | None] = mapped_column(index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    customer: Mapped[Customer] = relationship()
    visitor: Mapped[User | None] = relationship()


class Reception(CrmBase):
    __tablename__ = "reception"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"), index=True)
    host_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(300), default="")
    guests: Mapped[str] = mapped_column(Text, default="")
    guest_count: Mapped[int] = mapped_column(default=1)
    arrival_date: Mapped[dt.date | None]
    budget: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    arrangements: Mapped[str] = mapped_column(Text, default="")
    approval_level: Mapped[str] = mapped_column(String(50), default="")
    status: Mapped[str] = mapped_column(String(20), default="planning")
    advance_paid: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    report: Mapped[str] = mapped_column(Text, default="")
    instance_id: Mapped[int | None] = mapped_column(index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    customer: Mapped[Customer] = relationship()
    host: Mapped[User | None] = relationship()


def save_visit_application(
    session: Session, instance_id: int, customer: Customer, visitor: User | None, *, contact_id: int | None,
    purpose: str, planned_date: dt.date | None, objectives: str, budget: Decimal,
) -> Visit:
    """The visit of this process instance, created on first submission and updated on resubmission."""
    visit = session.scalar(select(Visit).where(Visit.instance_id == instance_id))
    if visit is None:
        visit = Visit(instance_id=instance_id, customer=customer, visitor=visitor)
        session.add(visit)
    visit.contact_id, visit.purpose, visit.planned_date = contact_id, purpose, planned_date
    visit.objectives, visit.budget, visit.status = objectives, budget, "applied"
    session.flush()
    return visit


def record_visit_outcome(
    session: Session, visit: Visit, *, visited_on: dt.date, needs: str, objections: str, gifts: str,
    gift_value: Decimal,
) -> Activity:
    """What the visit found (needs, objections, gifts given); logged as a done visit activity."""
    visit.visited_on, visit.needs, visit.objections = visited_on, needs, objections
    visit.gifts, visit.gift_value, visit.status = gifts, gift_value, "visited"
    with written_for(visit.visitor):
        subject = visit.purpose or _("Customer visit")
    activity = plan_activity(session, visit.customer, visit.visitor, "visit", subject, visited_on,
                             contact_id=visit.contact_id, instance_id=visit.instance_id)
    complete_activity(session, activity, "\n".join(p for p in (needs, objections) if p),
                      at=dt.datetime.combine(visited_on, dt.time(12)))
    return activity


def plan_next_visit(session: Session, visit: Visit, day: dt.date | None, plan: str) -> Activity | None:
    """⑧ The next visit agreed with the customer goes on the visitor's plan for that day."""
    visit.next_visit_date = day
    session.flush()
    if day is None:
        return None
    with written_for(visit.visitor):
        subject = plan or _("Next visit")
    return plan_activity(session, visit.customer, visit.visitor, "visit", subject, day,
                         contact_id=visit.contact_id, instance_id=visit.instance_id)


def save_reception_application(
    session: Session, instance_id: int, customer: Customer, host: User | None, *, purpose: str, guests: str,
    guest_count: int, arrival_date: dt.date | None, budget: Decimal, arrangements: str,
) -> Reception:
    """The reception of this process instance, created on first submission and updated on resubmission."""
    reception = session.scalar(select(Reception).where(Reception.instance_id == instance_id))
    if reception is None:
        reception = Reception(instance_id=instance_id, customer=customer, host=host)
        session.add(reception)
    reception.purpose, reception.guests, reception.guest_count = purpose, guests, guest_count
    reception.arrival_date, reception.budget, reception.arrangements = arrival_date, budget, arrangements
    reception.status = "applied"
    session.flush()
    return reception


def record_reception_held(session: Session, reception: Reception, notes: str) -> Activity:
    """The reception took place: logged as a done meeting on the host's record."""
    reception.status = "held"
    day = reception.arrival_date or zones.site_today()
    with written_for(reception.host):
        subject = reception.purpose or _("Customer reception")
    activity = plan_activity(session, reception.customer, reception.host, "meeting", subject, day,
                             instance_id=reception.instance_id)
    complete_activity(session, activity, notes, at=dt.datetime.combine(day, dt.time(12)))
    return activity
