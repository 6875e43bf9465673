"""The salespeople's periodic reports as a process (bpmn/sales_report.bpmn): generated on schedule, filled,
submitted, reviewed.

At each period's end in the site's time zone the scheduler (a periodic task of the relay's tick) creates, for
every active salesperson, the report of the period that just ended and starts its process. The report row is
inserted with ``ON CONFLICT DO NOTHING`` (:func:`crm.reporting.periodic_reports.create_once`) before the process
starts, in the same transaction: two schedulers, a retried tick or a restart create one report and one process.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.accounts.users import Role, User
from crm.reporting import periodic_reports as reports
from crm.reporting.periodic_reports import PeriodicReport
from engine.errors import NotFound
from engine.runtime import SYSTEM, ProcessEngine
from services.reporting.periodic_figures import period_figures
from services.reporting.periods import Period, containing, last_completed

log = logging.getLogger(__name__)

PROCESS_KEY = "sales_report"
SALESPERSON = "salesperson"
RECHECK = dt.timedelta(minutes=15)
"""Between period ends the scheduler looks again this often (a salesperson added, a start that failed)."""


def salespeople(session: Session) -> list[User]:
    """Active users holding the salesperson role, by name."""
    return list(session.scalars(select(User).where(User.active.is_(True), User.roles.any(Role.key == SALESPERSON))
                                .order_by(User.display_name, User.id)))


def review_lane(manager: User | None) -> str:
    """The lane of the review: a sales director manager reviews in theirs, anyone else's report goes to the
    customer directors (to the manager when they are one)."""
    return "sales_director" if manager is not None and manager.has_role("sales_director") else "customer_director"


def start_data(report: PeriodicReport, period: Period, zone: ZoneInfo) -> dict[str, Any]:
    """The process's data: the report, the time zone of its period's days, who writes it and who reviews it."""
    manager = report.owner.manager
    return {"report_id": report.id, "report_kind": report.kind, "period_label": period.label, "zone": zone.key,
            "salesperson": report.owner.username, "manager": manager.username if manager else "",
            "review_lane": review_lane(manager)}


def generate(session: Session, engine: ProcessEngine, period: Period, zone: ZoneInfo) -> list[PeriodicReport]:
    """Create the missing reports of ``period`` (days in ``zone``) and start their processes; returns those
    created now.

    Nothing is created while the process is not deployed. One salesperson's failure (logged) does not stop the
    others: each report is created and started under its own savepoint, and a later pass retries it.
    """
    try:
        engine.latest_version(session, PROCESS_KEY)
    except NotFound:
        log.warning("periodic reports not generated: the %s process is not deployed", PROCESS_KEY)
        return []
    existing = set(session.scalars(select(PeriodicReport.owner_id).where(
        PeriodicReport.kind == period.kind, PeriodicReport.period_start == period.start)))
    created = []
    for person in salespeople(session):
        if person.id in existing:
            continue
        try:
            with session.begin_nested():
                report = reports.create_once(session, person.id, period.kind, period.start, period.end)
                if report is None:
                    continue
                report.instance_id = engine.start(session, PROCESS_KEY, start_data(report, period, zone), SYSTEM).id
        except Exception:  # the others still get theirs; this one is retried on the next pass
            log.exception("the %s report of %s for %s could not be started", period.kind, person.username,
                          period.label)
            continue
        created.append(report)
    return created


class ReportScheduler:
    """A relay periodic task: at each period's end, generate the reports of the period that ended.

    Called on every tick; it queries only when a period has ended since its last pass or :data:`RECHECK`
    has gone by, so the tick stays cheap.
    """

    def __init__(self, engine: ProcessEngine, zone: ZoneInfo, kinds: Iterable[str], recheck: dt.timedelta = RECHECK):
        self.engine, self.zone, self.kinds, self.recheck = engine, zone, tuple(kinds), recheck
        self._last: dict[str, tuple[Period, dt.datetime]] = {}

    def __call__(self, session: Session, now: dt.datetime) -> int:
        """Generate what is due at ``now`` (naive UTC); returns how many reports were created."""
        made = 0
        for kind in self.kinds:
            period = last_completed(kind, now, self.zone)
            last = self._last.get(kind)
            if last is not None and last[0] == period and now - last[1] < self.recheck:
                continue
            made += len(generate(session, self.engine, period, self.zone))
            self._last[kind] = (period, now)
        return made


def report_kinds(daily: bool) -> tuple[str, ...]:
    """The kinds generated: weekly and monthly always, daily when the site wants it (``CRM_DAILY_REPORTS``)."""
    return ("daily", "weekly", "monthly") if daily else ("weekly", "monthly")


def fill(session: Session, report_id: int, zone: ZoneInfo, now: dt.datetime) -> PeriodicReport:
    """Compute and keep the report's objective part (the period's figures of its salesperson)."""
    report = _report(session, report_id)
    period = containing(report.kind, report.period_start)
    reports.record_figures(report, period_figures(session, report.owner, period, zone, now))
    session.flush()
    return report


def submit(session: Session, report_id: int, summary: str, problems: str, next_plan: str) -> PeriodicReport:
    """The salesperson's summary, problems and next period's plan; the report goes to the manager."""
    report = _report(session, report_id)
    reports.submit(report, summary or "", problems or "", next_plan or "")
    session.flush()
    return report


def review(session: Session, report_id: int, reviewer_username: str, decision: str, comment: str) -> PeriodicReport:
    """The manager's decision (``accept`` or ``return``) and comment."""
    report = _report(session, report_id)
    reviewer = session.scalar(select(User).where(User.username == reviewer_username))
    reports.review(report, reviewer, decision, comment or "")
    session.flush()
    return report


def _report(session: Session, report_id: int) -> PeriodicReport:
    report = session.get(PeriodicReport, int(report_id))
    if report is None:
        raise LookupError(f"no periodic report {report_id}")
    return report
