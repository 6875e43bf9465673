"""§5 share of wallet in the analyses: by customer grade, and each salesperson's growth against their customers'
overall growth, from the estimates of customers' purchases (:mod:`crm.customers.wallet`).

Works in calendar years: an estimate is for a year, our sales are the contracts signed in that year. Both reports
come from two statements: the visible estimates of every year either needs (with the customer's grade and owner),
and our sales to those customers grouped by customer and year of signing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from sqlalchemy import Select, bindparam, case, extract, func, select
from sqlalchemy.orm import Session

from crm.accounts.users import User
from crm.customers.models import Customer
from crm.customers.wallet import WalletEstimate
from crm.orders.contracts import Contract
from i18n import _, _l
from services.reporting.bound import Shape, parameters, shape_of, within
from services.reporting.filters import ReportFilter
from services.reporting.report_types import Report, Series, money

UNASSIGNED = _l("(no owner)")
SIGNED_ON = case((Contract.company_signed_on >= Contract.customer_signed_on, Contract.company_signed_on),
                 else_=Contract.customer_signed_on)
"""The later of a contract's two signatures: the day it was signed."""


@dataclass(frozen=True)
class Estimate:
    """A visible customer's estimated purchases in a year (the one entered last), with what we sold them."""

    customer_id: int
    year: int
    amount: Decimal
    grade: str
    owner: str
    """The owner's display name (empty: no owner)."""
    ours: Decimal


YEARS = bindparam("years", expanding=True)
"""The calendar years whose estimates are read."""


@cache
def _estimate_statement(shape: Shape) -> Select:
    query = (select(WalletEstimate.customer_id, WalletEstimate.year, WalletEstimate.amount, Customer.grade,
                    User.display_name)
             .join(Customer, Customer.id == WalletEstimate.customer_id).outerjoin(User, User.id == Customer.owner_id)
             .where(WalletEstimate.year.in_(YEARS)))
    return within(query, Customer.owner_id, Customer.id, shape).order_by(WalletEstimate.entered_at, WalletEstimate.id)


@cache
def _our_sales_statement(shape: Shape) -> Select:
    year = extract("year", SIGNED_ON)
    estimated = _estimate_statement(shape).with_only_columns(WalletEstimate.customer_id).order_by(None)
    return (select(Contract.customer_id, year, func.sum(Contract.amount))
            .where(Contract.customer_id.in_(estimated), Contract.company_signed_on.is_not(None),
                   Contract.customer_signed_on.is_not(None), year.in_(YEARS))
            .group_by(Contract.customer_id, year))


def estimates(session: Session, scope: set[int] | None, report_filter: ReportFilter,
              years: list[int]) -> list[Estimate]:
    """The visible customers' estimates for ``years`` (the one entered last for each customer and year), each with
    our sales to the customer that year."""
    shape, values = shape_of(scope, report_filter), {**parameters(scope, report_filter), "years": years}
    latest: dict[tuple[int, int], tuple] = {}
    for row in session.execute(_estimate_statement(shape), values):
        latest[(row.customer_id, row.year)] = row
    if not latest:
        return []
    sales = {(customer_id, int(signed)): amount
             for customer_id, signed, amount in session.execute(_our_sales_statement(shape), values)}
    return [Estimate(customer_id, year, amount, grade or "", owner or "",
                     sales.get((customer_id, year)) or Decimal(0))
            for (customer_id, year), (_c, _y, amount, grade, owner) in latest.items()]


def share_percent(ours: Decimal, estimate: Decimal) -> float | None:
    """Our sales over the estimate in percent (one decimal), none without an estimate."""
    return round(float(ours * 100 / estimate), 1) if estimate > 0 else None


def wallet_by_grade(found: list[Estimate], years: list[int]) -> Report:
    """Per customer grade: estimated purchases, our sales and our share, over ``years`` (the period's)."""
    estimate: dict[str, Decimal] = defaultdict(Decimal)
    ours: dict[str, Decimal] = defaultdict(Decimal)
    for row in found:
        if row.year in years:
            grade = row.grade or _("(not set)")
            estimate[grade] += row.amount
            ours[grade] += row.ours
    labels = sorted(estimate)
    return Report("wallet_by_grade", _("Share of wallet by grade"), labels, [
        Series(_("Estimated purchases"), [money(estimate[g]) for g in labels], unit="money"),
        Series(_("Our sales"), [money(ours[g]) for g in labels], unit="money"),
        Series(_("Share of wallet %"), [share_percent(ours[g], estimate[g]) for g in labels], axis="y2", kind="line",
               unit="percent"),
    ], section="customers",
        note=_("Customers with an estimate of their purchases for %(years)s; our sales: their contracts signed in "
               "the same year.", years=_years(years)))


def wallet_growth(found: list[Estimate], year: int) -> Report:
    """Per salesperson (customer owner): growth of our sales against growth of the customers' purchases, from the
    year before ``year`` (the period's last) to that year, over customers with an estimate for both."""
    years_of: dict[int, set[int]] = defaultdict(set)
    for row in found:
        if row.year in (year - 1, year):
            years_of[row.customer_id].add(row.year)
    estimate: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    ours: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    for row in found:
        if row.year in (year - 1, year) and len(years_of[row.customer_id]) == 2:
            person = row.owner or str(UNASSIGNED)
            estimate[(person, row.year)] += row.amount
            ours[(person, row.year)] += row.ours
    labels = sorted({person for person, _ in estimate})

    def growth(figures: dict[tuple[str, int], Decimal], person: str) -> float | None:
        before, after = figures[(person, year - 1)], figures[(person, year)]
        return round(float((after - before) * 100 / before), 1) if before > 0 else None

    return Report("wallet_growth", _("Sales growth vs customers' growth, %(before)s–%(year)s", before=year - 1,
                                     year=year), labels, [
        Series(_("Our sales growth %"), [growth(ours, p) for p in labels], unit="percent"),
        Series(_("Customers' purchases growth %"), [growth(estimate, p) for p in labels], unit="percent"),
    ], section="customers",
        note=_("Customers with an estimate for both %(before)s and %(year)s, by their owner: growth of what they "
               "signed with us against growth of their estimated purchases (faster: we gain share).",
               before=year - 1, year=year))


def _years(years: list[int]) -> str:
    return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"


def wallet_reports(session: Session, scope: set[int] | None, report_filter: ReportFilter) -> list[Report]:
    """Share of wallet by grade (the period's years) and the salespeople's growth against their customers' (the
    period's last year against the one before)."""
    years, last = list(range(report_filter.first.year, report_filter.last.year + 1)), report_filter.last.year
    found = estimates(session, scope, report_filter, sorted({*years, last - 1}))
    return [wallet_by_grade(found, years), wallet_growth(found, last)]
