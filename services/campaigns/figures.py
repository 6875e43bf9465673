"""What the campaign pages show: each campaign's reach and return, and the marketing cost per month.

Marketing cost of a month = the costs of the campaigns starting in it + the approved visit and reception expense
claims made in it (the Reports page's marketing cost); cost per won opportunity = that cost / the opportunities
won in the month. Months are the site time zone's.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from crm.campaigns.campaigns import Campaign, CampaignContact
from crm.customers.models import Contact, Customer
from crm.sales.expenses import ExpenseClaim
from crm.sales.opportunities import Opportunity

ZERO = Decimal("0.00")
MARKETING_CLAIMS = ("visit", "reception")
PAID_CLAIMS = ("approved", "paid")


@dataclass(frozen=True)
class CampaignFigures:
    """One campaign with its invited and attending contacts and the opportunities it sourced."""

    campaign: Campaign
    invited: int
    attended: int
    sourced: int
    won: int
    won_amount: Decimal

    @property
    def cost_per_won(self) -> Decimal | None:
        return (self.campaign.cost / self.won).quantize(Decimal("0.01")) if self.won else None


def campaigns(session: Session) -> list[CampaignFigures]:
    """Every campaign, newest first, with its figures."""
    rows = list(session.scalars(select(Campaign).options(selectinload(Campaign.guests))
                                .order_by(Campaign.starts_on.desc(), Campaign.id.desc())))
    sourced = defaultdict(list)
    for campaign_id, status, amount in session.execute(
            select(Opportunity.campaign_id, Opportunity.status, Opportunity.amount)
            .where(Opportunity.campaign_id.is_not(None))):
        sourced[campaign_id].append((status, amount))
    return [_figures(c, sourced[c.id]) for c in rows]


def _figures(campaign: Campaign, sourced: list[tuple[str, Decimal]]) -> CampaignFigures:
    won = [amount for status, amount in sourced if status == "won"]
    return CampaignFigures(campaign, len(campaign.guests), sum(1 for g in campaign.guests if g.attended),
                           len(sourced), len(won), sum(won, ZERO))


def campaign(session: Session, campaign_id: int) -> CampaignFigures | None:
    """One campaign with its figures, or None."""
    found = session.get(Campaign, campaign_id)
    if found is None:
        return None
    sourced = [(status, amount) for status, amount in session.execute(
        select(Opportunity.status, Opportunity.amount).where(Opportunity.campaign_id == found.id))]
    return _figures(found, sourced)


def sourced_opportunities(session: Session, campaign_id: int) -> list[Opportunity]:
    """The opportunities the campaign sourced, newest first."""
    return list(session.scalars(select(Opportunity).options(selectinload(Opportunity.customer))
                                .where(Opportunity.campaign_id == campaign_id).order_by(Opportunity.id.desc())))


def contacts_to_invite(session: Session, campaign_id: int) -> list[Contact]:
    """Active contacts of active customers not invited yet, by company and name."""
    invited = select(CampaignContact.contact_id).where(CampaignContact.campaign_id == campaign_id)
    return list(session.scalars(select(Contact).join(Customer, Customer.id == Contact.customer_id)
                                .options(selectinload(Contact.customer))
                                .where(Contact.active.is_(True), Customer.active.is_(True), Contact.id.not_in(invited))
                                .order_by(Customer.company, Contact.name).limit(500)))


def opportunities_to_source(session: Session) -> list[Opportunity]:
    """Opportunities no campaign has sourced yet, newest first."""
    return list(session.scalars(select(Opportunity).options(selectinload(Opportunity.customer))
                                .where(Opportunity.campaign_id.is_(None)).order_by(Opportunity.id.desc()).limit(500)))


@dataclass(frozen=True)
class MonthCost:
    """One month's marketing cost and what it bought."""

    month: str
    campaigns: Decimal
    visits_and_receptions: Decimal
    won: int

    @property
    def total(self) -> Decimal:
        return self.campaigns + self.visits_and_receptions

    @property
    def cost_per_won(self) -> Decimal | None:
        return (self.total / self.won).quantize(Decimal("0.01")) if self.won else None


def last_months(today: dt.date, count: int = 12) -> list[str]:
    """``YYYY-MM`` of the ``count`` months up to ``today``'s, oldest first."""
    year, month = today.year, today.month
    months = []
    for _ in range(count):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def marketing_cost_by_month(session: Session, months: list[str], zone: ZoneInfo) -> list[MonthCost]:
    """Campaign costs, visit and reception costs and opportunities won, per month of ``months``."""
    first = dt.date.fromisoformat(f"{months[0]}-01")
    since = dt.datetime.combine(first, dt.time(), zone).astimezone(dt.UTC).replace(tzinfo=None)
    campaign_costs: dict[str, Decimal] = defaultdict(lambda: ZERO)
    started = select(Campaign.starts_on, Campaign.cost).where(Campaign.starts_on >= first)
    for starts_on, cost in session.execute(started):
        campaign_costs[f"{starts_on:%Y-%m}"] += cost
    claims: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for at, amount in session.execute(select(ExpenseClaim.created_at, func.coalesce(ExpenseClaim.approved_amount, 0))
                                      .where(ExpenseClaim.subject.in_(MARKETING_CLAIMS),
                                             ExpenseClaim.status.in_(PAID_CLAIMS), ExpenseClaim.created_at >= since)):
        claims[_month(at, zone)] += Decimal(amount)
    won = Counter(_month(at, zone) for at in session.scalars(
        select(Opportunity.closed_at).where(Opportunity.status == "won", Opportunity.closed_at >= since)))
    return [MonthCost(m, campaign_costs[m], claims[m], won[m]) for m in months]


def _month(at: dt.datetime, zone: ZoneInfo) -> str:
    return f"{at.replace(tzinfo=dt.UTC).astimezone(zone):%Y-%m}"
