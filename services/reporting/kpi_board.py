"""The KPI page's figures: each KPI's monthly actual against its target and baseline for a year, the year to
date with a traffic-light state, and the same per salesperson and team.

Targets are annual: a summed KPI's month gets a twelfth (its year to date the months' share); a rate or average
has the same target every month. Where no baseline and target are set for the year and scope, the baseline is
last year's actual and the target the plan's rule applied to it (:mod:`.kpi_measures`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.accounts.users import Role, Team, User
from crm.reporting.targets import KpiTarget, targets_of
from i18n import _
from services.reporting.filters import ReportFilter, narrowed_scope
from services.reporting.kpi_measures import MEASURES, Measure, Parts, monthly_parts, value
from services.reporting.report_types import Report, Series

GREEN, AMBER, RED, NONE = "green", "amber", "red", "none"
"""On target; better than the baseline but short of the target; not better than the baseline; nothing to say."""


@dataclass(frozen=True)
class KpiFigures:
    """One KPI for one scope and year."""

    measure: Measure
    report: Report
    """Monthly actual, target and baseline (the chart and the figures under it)."""
    month_states: list[str]
    ytd_months: int
    ytd_actual: float | None
    ytd_target: float | None
    ytd_baseline: float | None
    baseline: float | None
    target: float | None
    source: str
    """``set``: entered on the targets page; ``plan``: last year's actual and the plan's rule."""
    state: str


def state(measure: Measure, actual: float | None, target: float | None, baseline: float | None) -> str:
    """The traffic light of ``actual`` against ``target`` and ``baseline`` (lower is better for costs and days)."""
    if actual is None or target is None:
        return NONE

    def at_least(a: float, b: float) -> bool:
        return a >= b if measure.higher_is_better else a <= b

    if at_least(actual, target):
        return GREEN
    return AMBER if baseline is not None and at_least(actual, baseline) and actual != baseline else RED


def year_filter(report_filter: ReportFilter, year: int) -> ReportFilter:
    """``report_filter`` (who and which customers) over the calendar year ``year``."""
    return replace(report_filter, first=dt.date(year, 1, 1), last=dt.date(year, 12, 31), period="year",
                   anchor=str(year), problems=())


def ytd_month_count(year: int, today: dt.date) -> int:
    """How many months of ``year`` have begun by ``today`` (12 for a past year, 0 for a future one)."""
    return 12 if year < today.year else today.month if year == today.year else 0


def _share(measure: Measure, annual: float | None, months: int) -> float | None:
    if annual is None:
        return None
    return round(annual * months / 12, 2) if measure.summed else round(annual, 2)


def evaluate(session: Session, owners: set[int] | None, report_filter: ReportFilter, year: int, today: dt.date,
             measures: list[Measure], targets: dict[str, KpiTarget]) -> list[KpiFigures]:
    """Each of ``measures`` for ``owners`` (already narrowed) over ``year``, against ``targets`` (the scope's, by
    KPI key). Where none is set, last year's actual is the baseline: read with this year's in one two-year window
    (a month is a month of one year), except for a cumulative KPI, which runs within its year."""
    current, before = year_filter(report_filter, year), year_filter(report_filter, year - 1)
    spanning = [m.key for m in measures if m.key not in targets and not m.cumulative]
    parts = {**monthly_parts(session, owners, current, [m.key for m in measures if m.key not in spanning]),
             **monthly_parts(session, owners, replace(before, last=current.last, period="custom", anchor=""),
                             spanning)}
    earlier = {**{key: parts[key] for key in spanning}, **monthly_parts(
        session, owners, before, [m.key for m in measures if m.key not in targets and m.cumulative])}
    return [_figures(measure, parts[measure.key], earlier.get(measure.key), targets.get(measure.key), current,
                     before, today) for measure in measures]


def _figures(measure: Measure, parts: Parts, earlier: Parts | None, explicit: KpiTarget | None,
             current: ReportFilter, before: ReportFilter, today: dt.date) -> KpiFigures:
    labels, year = current.labels, current.first.year
    if explicit is not None:
        baseline = None if explicit.baseline is None else float(explicit.baseline)
        target = None if explicit.target is None else float(explicit.target)
        source = "set"
    else:
        baseline = value(measure, earlier, before.labels)
        target = None if baseline is None else round(measure.default(baseline), 2)
        source = "plan"
    months = ytd_month_count(year, today)
    actual = [value(measure, parts, labels[: i + 1] if measure.cumulative else [label]) if i < months else None
              for i, label in enumerate(labels)]
    monthly_target, monthly_baseline = _share(measure, target, 1), _share(measure, baseline, 1)
    report = Report(f"kpi_{measure.key}", str(measure.title), labels, [
        Series(_("Actual"), actual, unit=measure.unit),
        Series(_("Target"), [monthly_target] * 12, kind="line", unit=measure.unit),
        Series(_("Baseline"), [monthly_baseline] * 12, kind="line", unit=measure.unit),
    ], section="kpi", monthly=True)
    ytd_actual = value(measure, parts, labels[:months]) if months else None
    ytd_target, ytd_baseline = _share(measure, target, months), _share(measure, baseline, months)
    return KpiFigures(measure, report, [state(measure, a, monthly_target, monthly_baseline) for a in actual],
                      months, ytd_actual, ytd_target, ytd_baseline, baseline, target, source,
                      state(measure, ytd_actual, ytd_target, ytd_baseline))


def shown_measures(costs: bool) -> list[Measure]:
    """The KPIs a viewer sees (margin only with ``costs``)."""
    return [m for m in MEASURES if costs or not m.costs]


def target_scope(report_filter: ReportFilter) -> tuple[str, int]:
    """Whose targets apply: the chosen salesperson's, else the chosen team's, else the company's."""
    if report_filter.salesperson_id is not None:
        return "salesperson", report_filter.salesperson_id
    if report_filter.team_id is not None:
        return "team", report_filter.team_id
    return "company", 0


def kpi_board(session: Session, scope: set[int] | None, report_filter: ReportFilter, year: int, today: dt.date,
              *, costs: bool) -> list[KpiFigures]:
    """Every KPI the viewer sees for the filter's salesperson, team or the company, over ``year``."""
    owners = narrowed_scope(session, scope, report_filter)
    targets = targets_of(session, year).get(target_scope(report_filter), {})
    return evaluate(session, owners, report_filter, year, today, shown_measures(costs), targets)


@dataclass(frozen=True)
class ScopeRow:
    """One salesperson or team: the year to date of each KPI."""

    kind: str
    id: int
    name: str
    figures: list[KpiFigures]


def kpi_by_person_and_team(session: Session, scope: set[int] | None, report_filter: ReportFilter, year: int,
                           today: dt.date, *, costs: bool) -> list[ScopeRow]:
    """Each salesperson and team within the viewer's scope (and the filter's choice), their year to date."""
    if scope is not None and report_filter.salesperson_id not in (None, *scope):
        return []
    people = select(User.id, User.display_name).join(User.roles).where(Role.key == "salesperson",
                                                                      User.active.is_(True))
    if scope is not None:
        people = people.where(User.id.in_(scope))
    if report_filter.salesperson_id is not None:
        people = people.where(User.id == report_filter.salesperson_id)
    elif report_filter.team_id is not None:
        people = people.where(User.team_id == report_filter.team_id)
    teams = select(Team.id, Team.name)
    if scope is not None:
        teams = teams.where(Team.id.in_(select(User.team_id).where(User.id.in_(scope))))
    if report_filter.salesperson_id is not None:
        teams = teams.where(Team.id.in_(select(User.team_id).where(User.id == report_filter.salesperson_id)))
    elif report_filter.team_id is not None:
        teams = teams.where(Team.id == report_filter.team_id)
    measures, targets = shown_measures(costs), targets_of(session, year)
    rows = []
    for kind, query in (("salesperson", people.order_by(User.display_name)), ("team", teams.order_by(Team.name))):
        for row_id, name in session.execute(query).all():
            chosen = replace(report_filter, salesperson_id=row_id if kind == "salesperson" else None,
                             team_id=row_id if kind == "team" else None)
            owners = narrowed_scope(session, scope, chosen)
            rows.append(ScopeRow(kind, row_id, name, evaluate(session, owners, chosen, year, today, measures,
                                                              targets.get((kind, row_id), {}))))
    return rows
