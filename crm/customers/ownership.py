"""Reassigning a salesperson's customers: the owner changes, every past record stays as it was."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from crm.accounts.users import User
from crm.base import CrmBase, utcnow
from crm.customers.models import Customer
from crm.sales.activities import Activity
from crm.sales.opportunities import Opportunity
from crm.sales.tenders import Tender
from i18n import _


class OwnerChange(CrmBase):
    """Who owned a customer before whom (shown on the customer's timeline)."""

    __tablename__ = "customer_owner_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"), index=True)
    from_owner_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    to_owner_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    reason: Mapped[str] = mapped_column(String(300), default="")
    changed_by: Mapped[str] = mapped_column(String(100))
    changed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    from_owner: Mapped[User | None] = relationship(foreign_keys=[from_owner_id])
    to_owner: Mapped[User] = relationship(foreign_keys=[to_owner_id])


_OPEN_WORK = (
    (Opportunity, Opportunity.status == "open"),
    (Tender, Tender.status.in_(("registered", "preparing", "submitted"))),
    (Activity, Activity.status == "planned"),
)
"""What follows a customer to its new owner; finished work keeps the name of whoever did it."""


def hand_over(session: Session, customer: Customer, successor: User, by: str, reason: str = "") -> None:
    """Give one customer to ``successor``: the previous owner's open opportunities, open tenders and
    planned activities on it go along; done activities, stage history, visits, claims and process history
    stay as they were."""
    previous = customer.owner_id
    if previous == successor.id:
        return
    session.add(OwnerChange(customer_id=customer.id, from_owner_id=previous, to_owner_id=successor.id,
                            reason=reason, changed_by=by))
    customer.owner_id = successor.id
    if previous is not None:
        for model, open_filter in _OPEN_WORK:
            rows = session.scalars(select(model).where(model.customer_id == customer.id,
                                                       model.owner_id == previous, open_filter))
            for row in rows:
                row.owner_id = successor.id
    session.flush()


def reassign_customers(session: Session, departing: User, successor: User, by: str, reason: str = "") -> int:
    """Hand every customer of a departing salesperson to ``successor``; returns how many."""
    if departing.id == successor.id:
        raise ValueError(_("choose a different salesperson"))
    customers = list(session.scalars(select(Customer).where(Customer.owner_id == departing.id)))
    for customer in customers:
        hand_over(session, customer, successor, by, reason)
    return len(customers)
