"""What the periodic-report pages show: reports in the viewer's data scope, one report, a team's period side by
side (with who has not submitted), and the spreadsheet export."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.accounts.access import visible_owner_ids
from crm.accounts.users import Role, User
from crm.reporting import periodic_reports as store
from crm.reporting.periodic_reports import PeriodicReport
from i18n import _, _l
from services.exports import append_row
from services.reporting.periodic import SALESPERSON
from services.reporting.periodic_figures import sections
from services.reporting.periods import KINDS, Period, containing, last_completed

SUBMITTED = ("submitted", "accepted")
"""Statuses of a report its salesperson has sent (a returned one is being revised)."""


def reports_in_scope(session: Session, viewer: User, *, kind: str | None = None,
                     owner_id: int | None = None) -> list[PeriodicReport]:
    """The reports the viewer may read (their own and their team's; directors everyone's), newest first."""
    return store.find(session, visible_owner_ids(session, viewer), kind=kind if kind in KINDS else None,
                      owner_id=owner_id)


def report_in_scope(session: Session, viewer: User, report_id: int) -> PeriodicReport | None:
    """One report, or None when there is none or it lies outside the viewer's scope."""
    report = session.get(PeriodicReport, report_id)
    scope = visible_owner_ids(session, viewer)
    if report is None or (scope is not None and report.owner_id not in scope):
        return None
    return report


def salespeople_in_scope(session: Session, viewer: User) -> list[User]:
    """Salespeople (active or with reports) whose reports the viewer may read, by name."""
    query = select(User).where(User.roles.any(Role.key == SALESPERSON)).order_by(User.display_name, User.id)
    scope = visible_owner_ids(session, viewer)
    if scope is not None:
        query = query.where(User.id.in_(scope or {0}))
    return list(session.scalars(query))


@dataclass
class TeamPeriod:
    """A period's reports of the viewer's salespeople side by side: ``rows`` are (section, label, kind, values in
    the order of ``people``); ``missing`` those who have not submitted (no report yet, writing, or returned)."""

    period: Period
    people: list[User]
    reports: list[PeriodicReport | None]
    rows: list[tuple[str, str, str, list[Any]]]
    missing: list[User]


def team_period(session: Session, viewer: User, kind: str, day: dt.date | None, zone: ZoneInfo,
                now: dt.datetime) -> TeamPeriod:
    """The period of ``kind`` containing ``day`` (default: the last one that ended) for the viewer's team."""
    kind = kind if kind in KINDS else "weekly"
    period = containing(kind, day) if day else last_completed(kind, now, zone)
    people = [p for p in salespeople_in_scope(session, viewer) if p.active]
    found = {r.owner_id: r for r in store.find(session, {p.id for p in people}, kind=kind, start=period.start)}
    reports = [found.get(person.id) for person in people]
    shown = [sections(r.figures if r else None) for r in reports]
    template = next((s for s in shown if s), [])
    rows = []
    for index, (section, figures) in enumerate(template):
        for position, (label, figure_kind, _value) in enumerate(figures):
            values = [s[index][1][position][2] if s else None for s in shown]
            rows.append((section, label, figure_kind, values))
    missing = [p for p, r in zip(people, reports, strict=True) if r is None or r.status not in SUBMITTED]
    return TeamPeriod(period, people, reports, rows, missing)


EXPORT_COLUMNS = (_l("Salesperson"), _l("Report"), _l("Period from"), _l("Period to"), _l("Status"), _l("Submitted"),
                  _l("Summary"), _l("Problems met"), _l("Plan for the next period"), _l("Manager's comment"))


def export_xlsx(reports: list[PeriodicReport]) -> bytes:
    """The reports as a workbook: one row per report, its salesperson's part, its review and every figure."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Sales reports")
    labels = [_("%(section)s: %(figure)s", section=section, figure=label)
              for section, figures in _figure_template(reports) for label, _kind, _value in figures]
    append_row(sheet, [*(str(column) for column in EXPORT_COLUMNS), *labels])
    sheet.freeze_panes = "B2"
    for report in reports:
        figures = [value for _, rows in sections(report.figures) for _, _, value in rows]
        append_row(sheet, [report.owner.display_name, report.kind_label, report.period_start, report.period_end,
                           report.status_label, report.submitted_at, report.summary, report.problems,
                           report.next_plan, report.manager_comment, *figures])
    for row in sheet.iter_rows(min_row=2):
        for cell in row[2:4]:
            cell.number_format = "yyyy-mm-dd"
        row[5].number_format = "yyyy-mm-dd hh:mm"
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def _figure_template(reports: list[PeriodicReport]) -> list:
    return next((sections(r.figures) for r in reports if r.figures), [])
