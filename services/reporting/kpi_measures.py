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

from i18n import _l
from services.reporting.filters import ReportFilter
from services.reporting.kpi_sources import KpiSources
from services.reporting.margin_report import margins_of
from services.reporting.report_types import money

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


def _sales(sources: KpiSources, owners: set[int] | None, months: ReportFilter) -> Parts:
    totals: dict[str, float] = defaultdict(float)
    for _owner, amount, company, customer in sources.of("contracts", owners):
        totals[months.month_of(max(company, customer))] += float(amount)
    return {month: (round(value, 2), None) for month, value in totals.items()}


def _marketing_cost(sources: KpiSources, owners: set[int] | None, months: ReportFilter) -> Parts:
    totals: dict[str, float] = defaultdict(float)
    for _claimant, at, _subject, amount in sources.of("claims", owners):
        totals[months.month_of(at)] += money(amount)
    for day, cost in sources.campaigns if owners is None else ():
        totals[months.month_of(day)] += money(cost)
    return {month: (round(value, 2), None) for month, value in totals.items()}


def _win_rate(sources: KpiSources, owners: set[int] | None, months: ReportFilter) -> Parts:
    won: dict[str, int] = defaultdict(int)
    counted: dict[str, int] = defaultdict(int)
    for opp in sources.of("opportunities", owners):
        month = months.month_of(opp.closed_at)
        counted[month] += 1
        won[month] += opp.status == "won"
    return {month: (100.0 * won[month], float(count)) for month, count in counted.items()}


def _sales_cycle(sources: KpiSources, owners: set[int] | None, months: ReportFilter) -> Parts:
    days: dict[str, list[float]] = defaultdict(list)
    for opp in sources.of("opportunities", owners):
        if opp.status == "won":
            days[months.month_of(opp.closed_at)].append((opp.closed_at - opp.created_at).total_seconds() / 86400)
    return {month: (sum(values), float(len(values))) for month, values in days.items()}


def _satisfaction(sources: KpiSources, owners: set[int] | None, months: ReportFilter) -> Parts:
    scores: dict[str, list[float]] = defaultdict(list)
    for _owner, at, attitude, quality in sources.of("follow_ups", owners):
        scores[months.month_of(at)].append((attitude + quality) / 2)
    return {month: (sum(values), float(len(values))) for month, values in scores.items()}


def _margin(sources: KpiSources, owners: set[int] | None, months: ReportFilter) -> Parts:
    net, cost, _ = margins_of([contract for _owner, contract in sources.of("margin", owners)], months)
    return {month: (float((net[month] - cost[month]) * 100), float(net[month])) for month in net}


def _share_of_wallet(sources: KpiSources, owners: set[int] | None, months: ReportFilter) -> Parts:
    """Our sales so far in the year of ``months`` to customers with an estimate for the year, over their
    estimates."""
    year = months.first.year
    estimates = [row for row in sources.of("estimates", owners) if row.year == year]
    if not estimates:
        return {}
    total = float(sum((row.amount for row in estimates), Decimal(0)))
    customers = {row.customer_id for row in estimates}
    ours: dict[str, float] = defaultdict(float)
    for customer_id, amount, company, customer in sources.wallet_sales:
        if customer_id in customers and months.covers(signed := max(company, customer)):
            ours[months.month_of(signed)] += float(amount)
    parts, so_far = {}, 0.0
    for month in months.labels:
        so_far += ours[month]
        parts[month] = (so_far * 100, total)
    return parts


_PARTS: dict[str, Callable[[KpiSources, set[int] | None, ReportFilter], Parts]] = {
    "sales": _sales, "marketing_cost": _marketing_cost, "win_rate": _win_rate, "sales_cycle": _sales_cycle,
    "satisfaction": _satisfaction, "margin": _margin, "share_of_wallet": _share_of_wallet,
}


def monthly_parts(sources: KpiSources, owners: set[int] | None, keys: list[str],
                  months: ReportFilter) -> dict[str, Parts]:
    """The parts per month of each KPI of ``keys`` from the rows of ``owners`` (None: every row) in ``sources``:
    every month the sources cover, except for a cumulative KPI (the year of ``months``)."""
    return {key: _PARTS[key](sources, owners, months) for key in keys}


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
