"""Tenders the company bids for: decision, bond, proposals, submission and result."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from crm import formatting
from crm.accounts.users import User
from crm.base import CrmBase, utcnow
from crm.customers.models import Customer
from crm.sales.activities import Activity, plan_activity
from crm.sales.labels import written_for
from crm.sales.opportunities import Opportunity, close_opportunity, create_opportunity
from i18n import _, zones

MONEY = Numeric(14, 2)
TENDER_STATUSES = ("registered", "no_bid", "preparing", "submitted", "won", "lost", "withdrawn")


class Tender(CrmBase):
    __tablename__ = "tender"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"), index=True)
    opportunity_id: Mapped[int | None] = mapped_column(ForeignKey("opportunity.id"))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    project: Mapped[str] = mapped_column(String(300))
    deadline: Mapped[dt.datetime | None]
    estimated_value: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    documents: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="registered")
    bid_bond: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    bond_status: Mapped[str] = mapped_column(String(20), default="none")  # none | paid | recovered
    bid_price: Mapped[Decimal | None] = mapped_column(MONEY)
    submitted_at: Mapped[dt.datetime | None]
    reminders_sent: Mapped[int] = mapped_column(default=0)
    result_note: Mapped[str] = mapped_column(Text, default="")
    loss_reason: Mapped[str] = mapped_column(String(200), default="")
    instance_id: Mapped[int | None] = mapped_column(index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    customer: Mapped[Customer] = relationship()
    owner: Mapped[User | None] = relationship()
    opportunity: Mapped[Opportunity | None] = relationship()


TENDER_STAGE = 6
"""A tender is priced against a formal proposal: its opportunity starts at stage 6."""


def register_tender(
    session: Session, instance_id: int, customer: Customer, owner: User | None, *, project: str,
    deadline: dt.datetime | None, estimated_value: Decimal, documents: str, by: str,
) -> Tender:
    """The tender of this process instance, with an opportunity tracking it in the pipeline."""
    tender = session.scalar(select(Tender).where(Tender.instance_id == instance_id))
    if tender is not None:
        return tender
    with written_for(owner):
        name = _("Tender: %(project)s", project=project)
    opportunity = create_opportunity(session, customer, name, estimated_value, by, owner=owner,
                                     stage=TENDER_STAGE, expected_close=deadline.date() if deadline else None,
                                     instance_id=instance_id)
    tender = Tender(instance_id=instance_id, customer=customer, owner=owner, project=project, deadline=deadline,
                    estimated_value=estimated_value, documents=documents, opportunity=opportunity)
    session.add(tender)
    session.flush()
    return tender


def decide_bid(session: Session, tender: Tender, bid: bool, by: str) -> None:
    """Bid (preparing) or no bid (the opportunity is lost)."""
    tender.status = "preparing" if bid else "no_bid"
    if not bid and tender.opportunity is not None and tender.opportunity.status == "open":
        close_opportunity(session, tender.opportunity, False, by, reason="no bid", instance_id=tender.instance_id)
    session.flush()


def remind_bid(session: Session, tender: Tender) -> Activity:
    """The deadline is near and the bid is not in: a reminder on the owner's plan for today (written in the
    owner's language, the deadline in their time zone)."""
    tender.reminders_sent += 1
    with written_for(tender.owner):
        subject = _("Submit the bid for %(project)s before %(deadline)s", project=tender.project,
                    deadline=formatting.datetime(tender.deadline))
    return plan_activity(session, tender.customer, tender.owner, "email", subject[:300],
                         zones.site_today(), opportunity_id=tender.opportunity_id, instance_id=tender.instance_id)


def record_bid_result(session: Session, tender: Tender, won: bool, note: str, loss_reason: str, by: str) -> None:
    """The bid opening: won closes the opportunity as won at the approved bid price, lost records why."""
    tender.status, tender.result_note = ("won" if won else "lost"), note
    if not won:
        tender.loss_reason = loss_reason
    if tender.opportunity is not None and tender.opportunity.status == "open":
        if won and tender.bid_price is not None:
            tender.opportunity.amount = tender.bid_price
        close_opportunity(session, tender.opportunity, won, by, reason=loss_reason, instance_id=tender.instance_id)
    session.flush()


def tender_of_opportunity(session: Session, opportunity_id: int) -> Tender | None:
    """The tender an opportunity tracks, if it came from the bidding flow."""
    return session.scalar(select(Tender).where(Tender.opportunity_id == opportunity_id))


def submit_bid(session: Session, tender: Tender, price: Decimal, at: dt.datetime | None = None) -> None:
    """The bid went in at the approved price."""
    tender.bid_price, tender.submitted_at, tender.status = price, at or utcnow(), "submitted"
    session.flush()


def recover_bond(session: Session, tender: Tender) -> None:
    """Finance got the bid bond back."""
    if tender.bond_status != "paid":
        raise ValueError(_("No bid bond was paid for this tender."))
    tender.bond_status = "recovered"
    session.flush()
