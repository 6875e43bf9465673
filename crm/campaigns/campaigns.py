"""A marketing campaign: what it cost, whom it invited, who came, which opportunities it brought.

Attendance is also a behaviour event of the contact (``seminar``), so it shows on the customer's timeline and
counts in the contact's behaviour.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from crm.base import CrmBase, utcnow
from crm.customers.behaviour import record_behaviour
from crm.customers.models import Contact
from crm.money import Money
from crm.orders.errors import OrderError
from i18n import _, _l

if TYPE_CHECKING:
    from crm.sales.opportunities import Opportunity

CAMPAIGN_KINDS = {"seminar": _l("Seminar"), "email": _l("E-mail campaign"), "trade_fair": _l("Trade fair")}


class CampaignError(OrderError):
    """A campaign change that is refused, with a message for people (shown like a refused order change)."""


class Campaign(CrmBase):
    """One campaign from ``starts_on`` to ``ends_on``; its ``cost`` counts in the month it starts."""

    __tablename__ = "campaign"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    starts_on: Mapped[dt.date] = mapped_column(index=True)
    ends_on: Mapped[dt.date]
    cost: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    guests: Mapped[list[CampaignContact]] = relationship(back_populates="campaign", order_by="CampaignContact.id",
                                                         cascade="all, delete-orphan")

    @property
    def kind_label(self) -> str:
        return str(CAMPAIGN_KINDS.get(self.kind, self.kind))


class CampaignContact(CrmBase):
    """A contact invited to a campaign, and whether they came."""

    __tablename__ = "campaign_contact"
    __table_args__ = (UniqueConstraint("campaign_id", "contact_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id"), index=True)
    invited_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    attended: Mapped[bool] = mapped_column(default=False)

    campaign: Mapped[Campaign] = relationship(back_populates="guests")
    contact: Mapped[Contact] = relationship()


def create_campaign(session: Session, name: str, kind: str, starts_on: dt.date, ends_on: dt.date, cost: Decimal,
                    notes: str = "", by: str = "") -> Campaign:
    """A new campaign; the name is required, the kind known, the dates in order and the cost not negative."""
    if not name.strip():
        raise CampaignError(_("Enter the campaign's name."))
    if kind not in CAMPAIGN_KINDS:
        raise CampaignError(_("Choose a kind of campaign."))
    if ends_on < starts_on:
        raise CampaignError(_("The campaign cannot end before it starts."))
    if cost < 0:
        raise CampaignError(_("The cost cannot be negative."))
    campaign = Campaign(name=name.strip(), kind=kind, starts_on=starts_on, ends_on=ends_on, cost=cost, notes=notes,
                        created_by=by)
    session.add(campaign)
    session.flush()
    return campaign


def invite(session: Session, campaign: Campaign, contact: Contact) -> CampaignContact:
    """Invite a contact (once: inviting again changes nothing)."""
    found = session.scalar(select(CampaignContact).where(CampaignContact.campaign_id == campaign.id,
                                                         CampaignContact.contact_id == contact.id))
    if found is None:
        found = CampaignContact(campaign=campaign, contact=contact)
        session.add(found)
        session.flush()
    return found


def mark_attended(session: Session, guest: CampaignContact) -> None:
    """The invited contact came: recorded once, also as their behaviour event."""
    if guest.attended:
        return
    guest.attended = True
    record_behaviour(session, guest.contact, "seminar", f"{guest.campaign.kind_label}: {guest.campaign.name}")


def source_opportunity(campaign: Campaign, opportunity: Opportunity) -> None:
    """The opportunity came from this campaign."""
    opportunity.campaign_id = campaign.id
