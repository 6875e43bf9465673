"""Share of wallet (§5): a customer's estimated annual purchases of our product category from every supplier,
entered per year with its source; our share is what the customer signed with us that year over the estimate."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from crm.base import CrmBase, utcnow
from crm.customers.models import Customer
from crm.money import HUNDRED, Money, to_cents
from crm.orders.contracts import Contract
from crm.orders.errors import OrderError
from i18n import _

FIRST_YEAR, LAST_YEAR = 2000, 2100


class WalletEstimate(CrmBase):
    """One customer's estimated purchases of the category in one calendar year. One per year is kept by
    :func:`record_estimate`; where two meet (customers merged) the one entered last counts."""

    __tablename__ = "wallet_estimate"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"), index=True)
    year: Mapped[int]
    amount: Mapped[Decimal] = mapped_column(Money)
    source: Mapped[str] = mapped_column(String(200), default="")
    """Where the figure comes from: the customer's purchasing manager, annual report, trade association …"""
    entered_by: Mapped[str] = mapped_column(String(100), default="")
    entered_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class WalletError(OrderError):
    """An estimate that cannot be recorded as given."""


@dataclass(frozen=True)
class WalletShare:
    year: int
    estimate: Decimal
    source: str
    our_sales: Decimal

    @property
    def percent(self) -> Decimal | None:
        """Our sales over the estimate in percent (one decimal); none for a zero estimate."""
        return (self.our_sales * HUNDRED / self.estimate).quantize(Decimal("0.1")) if self.estimate > 0 else None


def record_estimate(session: Session, customer: Customer, year: int, amount: Decimal, source: str,
                    by: str) -> WalletEstimate:
    """Record (or replace) ``customer``'s estimated purchases in ``year``."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise WalletError(_("The year must be from %(first)s to %(last)s.", first=FIRST_YEAR, last=LAST_YEAR))
    if Decimal(amount) <= 0:
        raise WalletError(_("The estimated purchases must be positive."))
    if not source.strip():
        raise WalletError(_("Say where the estimate comes from (source)."))
    estimate = session.scalar(select(WalletEstimate).where(WalletEstimate.customer_id == customer.id,
                                                           WalletEstimate.year == year)
                              .order_by(WalletEstimate.entered_at.desc(), WalletEstimate.id.desc()).limit(1))
    if estimate is None:
        estimate = WalletEstimate(customer_id=customer.id, year=year)
        session.add(estimate)
    estimate.amount, estimate.source = to_cents(amount), source.strip()[:200]
    estimate.entered_by, estimate.entered_at = by, utcnow()
    session.flush()
    return estimate


def our_sales(session: Session, customer_ids: list[int], year: int) -> dict[int, Decimal]:
    """What each of ``customer_ids`` signed with us in ``year`` (contract amounts; absent: nothing)."""
    if not customer_ids:
        return {}
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    rows = session.execute(
        select(Contract.customer_id, Contract.amount, Contract.company_signed_on, Contract.customer_signed_on)
        .where(Contract.customer_id.in_(customer_ids), Contract.company_signed_on.is_not(None),
               Contract.customer_signed_on.is_not(None), Contract.company_signed_on <= last,
               Contract.customer_signed_on <= last))
    totals: dict[int, Decimal] = {}
    for customer_id, amount, company, customer in rows:
        if max(company, customer) >= first:
            totals[customer_id] = totals.get(customer_id, Decimal(0)) + amount
    return totals


def wallet_shares(session: Session, customer_id: int) -> list[WalletShare]:
    """The customer's estimates, newest year first, each with our sales that year."""
    estimates = latest_estimates(session, select(WalletEstimate).where(WalletEstimate.customer_id == customer_id))
    estimates.sort(key=lambda e: e.year, reverse=True)
    return [WalletShare(e.year, e.amount, e.source,
                        our_sales(session, [customer_id], e.year).get(customer_id, Decimal(0))) for e in estimates]


def latest_estimates(session: Session, query) -> list[WalletEstimate]:
    """The estimates ``query`` selects, the one entered last for each customer and year."""
    latest: dict[tuple[int, int], WalletEstimate] = {}
    for estimate in session.scalars(query.order_by(WalletEstimate.entered_at, WalletEstimate.id)):
        latest[(estimate.customer_id, estimate.year)] = estimate
    return list(latest.values())
