"""The plan's success measures (§9) as monthly parts: for every KPI, per month, a numerator and (for rates and
averages) a denominator, so a month, the year to date and a whole year are all computed the same way.

Defaults from the plan, applied to last year's actual where no baseline and target are set: sales +10 %,
marketing cost −5 %, win rate +5 points, gross margin +1 point, satisfaction +5 %, sales cycle −5 days; share
of wallet has no plan figure (target = baseline until one is set).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from babel.support import LazyProxy
from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from crm.customers.models import Customer
from crm.customers.wallet import WalletEstimate, latest_estimates
from crm.orders.contracts import Contract
from i18n import _l
from services.reporting.filters import ReportFilter, for_customers
from services.reporting.kpis import closed_opportunities, follow_up_scores, marketing_cost_rows, signed_within
from services.reporting.margin_report import monthly_margins
from services.reporting.report_types import scoped

Parts = dict[str, tuple[float, float | None]]
"""month → (numerator, denominator); no denominator: the figure is a sum."""
SALES_CYCLE_DAYS = 5
"""How many days shorter the plan wants the sales cycle."""


@dataclass(frozen=True)
class Measure:
    key: str
    title: LazyProxy
    unit: str
    higher_is_better: bool
    summed: bool
    """A sum over months (sales, cost): monthly target = annual / 12; else a rate or average (same every month)."""
    plan: LazyProxy
    default: Callable[[float], float]
    """The plan's target from a baseline."""
    costs: bool = False
    """Shown only to roles allowed to see costs."""
    cumulative: bool = False
    """Each month's figure is the year so far (share of wallet against the annual estimate)."""


MEASURES: tuple[Measure, ...] = (
    Measure("sales", _l("Sales (signed contract amount)"), "money", True, True, _l("+10 %"), lambda b: b * 1.10),
    Measure("marketing_cost", _l("Marketing cost"), "money", False, True, _l("−5 %"), lambda b: b * 0.95),
    Measure("win_rate", _l("Win rate %"), "percent", True, False, _l("+5 points"), lambda b: b + 5),
    Measure("margin", _l("Gross margin %"), "percent", True, False, _l("+1 point"), lambda b: b + 1, costs=True),
    Measure("satisfaction", _l("Service satisfaction (1-5)"), "score", True, False, _l("+5 %"),
            lambda b: min(b * 1.05, 5)),
    Measure("sales_cycle", _l("Sales cycle (days)"), "days", False, False, _l("−%(n)s days", n=SALES_CYCLE_DAYS),
            lambda b: max(b - SALES_CYCLE_DAYS, 0)),
    Measure("share_of_wallet", _l("Share of wallet %"), "percent", True, False, _l("no plan figure"), lambda b: b,
            cumulative=True),
)
BY_KEY = {m.key: m for m in MEASURES}


def _sales(session: Session, scope: set[int] | None, report_filter: ReportFilter) -> Parts:
    query = select(Contract.amount, Contract.company_signed_on, Contract.customer_signed_on).where(
        *signed_within(report_filter))
    query = for_customers(scoped(query, Contract.owner_id, scope), Contract.customer_id, report_filter)
    totals: dict[str, float] = defaultdict(float)
    for amount, company, customer in session.execute(query):
        totals[report_filter.month_of(max(company, customer))] += float(amount)
    return {month: (round(value, 2), None) for month, value in totals.items()}


def _marketing_cost(session: Session, scope: set[int] | None, report_filter: ReportFilter) -> Parts:
    totals: dict[str, float] = defaultdict(float)
    for month, _, amount in marketing_cost_rows(session, scope, report_filter):
        totals[month] += amount
    return {month: (round(value, 2), None) for month, value in totals.items()}


def _win_rate(closed: list[Row], report_filter: ReportFilter) -> Parts:
    won: dict[str, int] = defaultdict(int)
    counted: dict[str, int] = defaultdict(int)
    for opp in closed:
        month = report_filter.month_of(opp.closed_at)
        counted[month] += 1
        won[month] += opp.status == "won"
    return {month: (100.0 * won[month], float(count)) for month, count in counted.items()}


def _sales_cycle(closed: list[Row], report_filter: ReportFilter) -> Parts:
    days: dict[str, list[float]] = defaultdict(list)
    for opp in closed:
        if opp.status == "won":
            days[report_filter.month_of(opp.closed_at)].append(
                (opp.closed_at - opp.created_at).total_seconds() / 86400)
    return {month: (sum(values), float(len(values))) for month, values in days.items()}


def _satisfaction(session: Session, scope: set[int] | None, report_filter: ReportFilter) -> Parts:
    scores: dict[str, list[float]] = defaultdict(list)
    for month, attitude, quality in follow_up_scores(session, scope, report_filter):
        scores[month].append((attitude + quality) / 2)
    return {month: (sum(values), float(len(values))) for month, values in scores.items()}


def _margin(session: Session, scope: set[int] | None, report_filter: ReportFilter) -> Parts:
    net, cost, _ = monthly_margins(session, scope, report_filter)
    return {month: (float((net[month] - cost[month]) * 100), float(net[month])) for month in net}


def _share_of_wallet(session: Session, scope: set[int] | None, report_filter: ReportFilter) -> Parts:
    """Our sales so far this year to customers with an estimate for the year, over their estimates."""
    year = report_filter.first.year
    query = select(WalletEstimate).join(Customer, Customer.id == WalletEstimate.customer_id).where(
        WalletEstimate.year == year)
    estimates = latest_estimates(session, for_customers(scoped(query, Customer.owner_id, scope), Customer.id,
                                                        report_filter))
    if not estimates:
        return {}
    total = float(sum((e.amount for e in estimates), Decimal(0)))
    contracts = select(Contract.amount, Contract.company_signed_on, Contract.customer_signed_on).where(
        *signed_within(report_filter), Contract.customer_id.in_([e.customer_id for e in estimates]))
    ours: dict[str, float] = defaultdict(float)
    for amount, company, customer in session.execute(contracts):
        ours[report_filter.month_of(max(company, customer))] += float(amount)
    parts, so_far = {}, 0.0
    for month in report_filter.labels:
        so_far += ours[month]
        parts[month] = (so_far * 100, total)
    return parts


_PARTS: dict[str, Callable[[Session, set[int] | None, ReportFilter], Parts]] = {
    "sales": _sales, "marketing_cost": _marketing_cost, "satisfaction": _satisfaction, "margin": _margin,
    "share_of_wallet": _share_of_wallet,
}
_OPPORTUNITY_PARTS: dict[str, Callable[[list[Row], ReportFilter], Parts]] = {
    "win_rate": _win_rate, "sales_cycle": _sales_cycle,
}
"""KPIs of the closed opportunities: read once for all of them."""


def monthly_parts(session: Session, scope: set[int] | None, report_filter: ReportFilter,
                  keys: list[str]) -> dict[str, Parts]:
    """The parts per month of the period of each KPI of ``keys`` (the closed opportunities read once for the win
    rate and the sales cycle)."""
    found = {key: _PARTS[key](session, scope, report_filter) for key in keys if key in _PARTS}
    if opportunity_keys := [key for key in keys if key in _OPPORTUNITY_PARTS]:
        closed = closed_opportunities(session, scope, report_filter)
        found.update({key: _OPPORTUNITY_PARTS[key](closed, report_filter) for key in opportunity_keys})
    return {key: found[key] for key in keys}


def value(measure: Measure, parts: Parts, months: list[str]) -> float | None:
    """The KPI over ``months``: a sum, a ratio of sums, or the last month's figure of a cumulative KPI."""
    found = [parts[m] for m in months if m in parts]
    if measure.cumulative:
        found = [parts[m] for m in months[-1:] if m in parts]
    if not found:
        return 0.0 if measure.summed else None
    numerator = sum(n for n, _ in found)
    if measure.summed:
        return round(numerator, 2)
    denominator = sum(d or 0 for _, d in found)
    return round(numerator / denominator, 1) if denominator else None
