"""§5 share of wallet in the analyses: by customer grade, and each salesperson's growth against their customers'
overall growth, from the estimates of customers' purchases (:mod:`crm.customers.wallet`).

Works in calendar years: an estimate is for a year, our sales are the contracts signed in that year."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.accounts.users import User
from crm.customers.models import Customer
from crm.customers.wallet import WalletEstimate, latest_estimates, our_sales
from i18n import _, _l
from services.reporting.filters import ReportFilter, for_customers
from services.reporting.report_types import Report, Series, money, scoped

UNASSIGNED = _l("(no owner)")


def _estimates(session: Session, scope: set[int] | None, report_filter: ReportFilter,
               years: list[int]) -> list[tuple[WalletEstimate, Customer]]:
    query = (select(WalletEstimate).join(Customer, Customer.id == WalletEstimate.customer_id)
             .where(WalletEstimate.year.in_(years)))
    query = for_customers(scoped(query, Customer.owner_id, scope), Customer.id, report_filter)
    estimates = latest_estimates(session, query)
    customers = {c.id: c for c in session.scalars(select(Customer).where(
        Customer.id.in_({e.customer_id for e in estimates})))} if estimates else {}
    return [(e, customers[e.customer_id]) for e in estimates]


def _sales(session: Session, pairs: list[tuple[WalletEstimate, Customer]]) -> dict[tuple[int, int], Decimal]:
    """Our sales per (customer, year) of the estimates."""
    by_year: dict[int, list[int]] = defaultdict(list)
    for estimate, _customer in pairs:
        by_year[estimate.year].append(estimate.customer_id)
    return {(customer_id, year): amount for year, ids in by_year.items()
            for customer_id, amount in our_sales(session, ids, year).items()}


def share_percent(ours: Decimal, estimate: Decimal) -> float | None:
    """Our sales over the estimate in percent (one decimal), none without an estimate."""
    return round(float(ours * 100 / estimate), 1) if estimate > 0 else None


def wallet_by_grade(session: Session, scope: set[int] | None, report_filter: ReportFilter) -> Report:
    """Per customer grade: estimated purchases, our sales and our share, over the years of the period."""
    years = list(range(report_filter.first.year, report_filter.last.year + 1))
    pairs = _estimates(session, scope, report_filter, years)
    sales = _sales(session, pairs)
    estimate: dict[str, Decimal] = defaultdict(Decimal)
    ours: dict[str, Decimal] = defaultdict(Decimal)
    for row, customer in pairs:
        grade = customer.grade or _("(not set)")
        estimate[grade] += row.amount
        ours[grade] += sales.get((row.customer_id, row.year), Decimal(0))
    labels = sorted(estimate)
    return Report("wallet_by_grade", _("Share of wallet by grade"), labels, [
        Series(_("Estimated purchases"), [money(estimate[g]) for g in labels], unit="money"),
        Series(_("Our sales"), [money(ours[g]) for g in labels], unit="money"),
        Series(_("Share of wallet %"), [share_percent(ours[g], estimate[g]) for g in labels], axis="y2", kind="line",
               unit="percent"),
    ], section="customers",
        note=_("Customers with an estimate of their purchases for %(years)s; our sales: their contracts signed in "
               "the same year.", years=_years(years)))


def wallet_growth(session: Session, scope: set[int] | None, report_filter: ReportFilter) -> Report:
    """Per salesperson (customer owner): growth of our sales against growth of the customers' purchases, from the
    year before the period's last year to that year, over customers with an estimate for both."""
    year = report_filter.last.year
    pairs = _estimates(session, scope, report_filter, [year - 1, year])
    years_of: dict[int, set[int]] = defaultdict(set)
    for row, _customer in pairs:
        years_of[row.customer_id].add(row.year)
    pairs = [(row, customer) for row, customer in pairs if len(years_of[row.customer_id]) == 2]
    sales = _sales(session, pairs)
    names = dict(session.execute(select(User.id, User.display_name)).all())
    estimate: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    ours: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    for row, customer in pairs:
        person = names.get(customer.owner_id) or str(UNASSIGNED)
        estimate[(person, row.year)] += row.amount
        ours[(person, row.year)] += sales.get((row.customer_id, row.year), Decimal(0))
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
    """Share of wallet by grade and the salespeople's growth against their customers'."""
    return [wallet_by_grade(session, scope, report_filter), wallet_growth(session, scope, report_filter)]
