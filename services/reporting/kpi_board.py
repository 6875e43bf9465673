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
from services.reporting.kpi_sources import KpiSources, read_sources
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


def kpi_window(report_filter: ReportFilter, year: int) -> ReportFilter:
    """``report_filter`` (who and which customers) over ``year`` and the year before: what the page compares."""
    return replace(year_filter(report_filter, year - 1), last=dt.date(year, 12, 31), period="custom", anchor="")


def evaluate(sources: KpiSources, owners: set[int] | None, year: int, today: dt.date, measures: list[Measure],
             targets: dict[str, KpiTarget]) -> list[KpiFigures]:
    """Each of ``measures`` for ``owners`` (already narrowed; their rows in ``sources``) over ``year``, against
    ``targets`` (the scope's, by KPI key). Where none is set, last year's actual is the baseline."""
    current, before = year_filter(sources.window, year), year_filter(sources.window, year - 1)
    parts = monthly_parts(sources, owners, [m.key for m in measures], current)
    earlier = {**parts, **monthly_parts(sources, owners, [m.key for m in measures if m.cumulative], before)}
    return [_figures(measure, parts[measure.key], earlier[measure.key], targets.get(measure.key), current, before,
                     today) for measure in measures]


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
    owners, measures = narrowed_scope(session, scope, report_filter), shown_measures(costs)
    sources = read_sources(session, owners, kpi_window(report_filter, year), [m.key for m in measures])
    targets = targets_of(session, year).get(target_scope(report_filter), {})
    return evaluate(sources, owners, year, today, measures, targets)


@dataclass(frozen=True)
class ScopeRow:
    """One salesperson or team: the year to date of each KPI."""

    kind: str
    id: int
    name: str
    figures: list[KpiFigures]


@dataclass(frozen=True)
class KpiPage:
    """The board (the filter's salesperson, team or the company) and the year to date of each salesperson and
    team in the viewer's scope."""

    board: list[KpiFigures]
    rows: list[ScopeRow]


def kpi_page(session: Session, scope: set[int] | None, report_filter: ReportFilter, year: int, today: dt.date,
             *, costs: bool) -> KpiPage:
    """The KPI page's figures: every source read once for the board and all the rows (:mod:`.kpi_sources`)."""
    measures = shown_measures(costs)
    sources = read_sources(session, scope, kpi_window(report_filter, year), [m.key for m in measures])
    targets = targets_of(session, year)
    board = evaluate(sources, narrowed_scope(session, scope, report_filter), year, today, measures,
                     targets.get(target_scope(report_filter), {}))
    rows = [ScopeRow(kind, row_id, name, evaluate(sources, owners, year, today, measures,
                                                  targets.get((kind, row_id), {})))
            for kind, row_id, name, owners in _people_and_teams(session, scope, report_filter)]
    return KpiPage(board, rows)


def _people_and_teams(session: Session, scope: set[int] | None,
                      report_filter: ReportFilter) -> list[tuple[str, int, str, set[int]]]:
    """(kind, id, name, owners) of each salesperson and team within the viewer's scope (and the filter's choice):
    three statements (people, teams, the teams' members)."""
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
    found = [("salesperson", row_id, name, {row_id}) for row_id, name in
             session.execute(people.order_by(User.display_name))]
    team_rows = session.execute(teams.order_by(Team.name)).all()
    members: dict[int, set[int]] = {team_id: set() for team_id, _name in team_rows}
    if members:
        for team_id, user_id in session.execute(select(User.team_id, User.id).where(User.team_id.in_(members))):
            members[team_id].add(user_id)
    found += [("team", team_id, name, members[team_id] if scope is None else members[team_id] & scope)
              for team_id, name in team_rows]
    return found
