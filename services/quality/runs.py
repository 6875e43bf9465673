"""Running the checks: findings kept open while found, closed (``fixed``) when a run no longer finds them; a
scheduled run records the open counts per check for the trend. Runs on the scheduler's clock (daily by default,
``CRM_QUALITY_CHECK_HOURS``) as an outbox job."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from crm.base import utcnow
from crm.quality.models import CHECKS as CHECK_NAMES
from crm.quality.models import QualityFinding, QualityRun
from engine.models import OutboxJob
from engine.outbox import enqueue

from .checks import CHECKS

JOB_KIND = "quality_check"
RECHECK = dt.timedelta(minutes=5)


def run_checks(session: Session, now: dt.datetime, idle_days: int, customer_ids: set[int] | None = None
               ) -> dict[str, int]:
    """Check every active customer (or only ``customer_ids``); returns the open findings per check after it."""
    found = {(name, customer_id): detail for name, check in CHECKS.items()
             for customer_id, detail in check(session, customer_ids, now.date(), idle_days)}
    query = select(QualityFinding).where(QualityFinding.status == "open")
    if customer_ids is not None:
        query = query.where(QualityFinding.customer_id.in_(customer_ids))
    for finding in session.scalars(query):
        detail = found.pop((finding.check, finding.customer_id), None)
        if detail is None:
            finding.status, finding.fixed_at = "fixed", now
        else:
            finding.detail, finding.seen_at = detail[:500], now
    session.add_all(QualityFinding(check=name, customer_id=customer_id, detail=detail[:500], found_at=now,
                                   seen_at=now) for (name, customer_id), detail in found.items())
    session.flush()
    return open_counts(session, customer_ids)


def open_counts(session: Session, customer_ids: set[int] | None = None) -> dict[str, int]:
    """Open findings per check (every check named, zero when none)."""
    query = select(QualityFinding.check, func.count()).where(QualityFinding.status == "open")
    if customer_ids is not None:
        query = query.where(QualityFinding.customer_id.in_(customer_ids))
    counts = dict(session.execute(query.group_by(QualityFinding.check)).all())
    return {name: counts.get(name, 0) for name in CHECK_NAMES}


class QualitySchedule:
    """A relay periodic task: queue a run when the last one started ``every`` ago (or there was none)."""

    def __init__(self, every: dt.timedelta, idle_days: int):
        self.every, self.idle_days = every, idle_days
        self._looked: dt.datetime | None = None

    def __call__(self, session: Session, now: dt.datetime) -> int:
        if self._looked is not None and now - self._looked < RECHECK:
            return 0
        self._looked = now
        last = session.scalar(select(func.max(QualityRun.started_at)))
        if last is not None and now - last < self.every:
            return 0
        return 1 if queue_run(session, now, self.idle_days, period_key=self.period_of(now)) else 0

    def period_of(self, now: dt.datetime) -> str:
        """The start of the interval ``now`` falls in (counted from 2000-01-01), as the run's unique key."""
        start = PERIODS_FROM + (now - PERIODS_FROM) // self.every * self.every
        return start.isoformat(timespec="seconds")


PERIODS_FROM = dt.datetime(2000, 1, 1)


def queue_run(session: Session, now: dt.datetime, idle_days: int, *, period_key: str | None = None
              ) -> QualityRun | None:
    """A new run, to be done by a job after the commit; with a ``period_key``, None when that period's run exists
    already (the unique key decides: a second scheduler inserting it at the same time waits for the first one's
    commit and then inserts nothing)."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(QualityRun).values(started_at=now, counts={}, period_key=period_key)
    if period_key is not None:
        statement = statement.on_conflict_do_nothing(index_elements=["period_key"])
    run_id = session.execute(statement.returning(QualityRun.id)).scalar()
    if run_id is None:
        return None
    enqueue(session, None, JOB_KIND, {"run_id": run_id, "idle_days": idle_days})
    return session.get(QualityRun, run_id)


def run_job(session: Session, _job: OutboxJob, payload: dict) -> None:
    """Job kind ``quality_check``: do a queued run (once: a finished run is left alone)."""
    run = session.get(QualityRun, payload["run_id"], with_for_update=True)
    if run is None or run.finished_at is not None:
        return
    now = utcnow()
    run.counts = run_checks(session, now, int(payload.get("idle_days") or 90))
    run.finished_at = now


def runs(session: Session, limit: int = 60) -> list[QualityRun]:
    """The latest finished runs, oldest first (the trend)."""
    rows = session.scalars(select(QualityRun).where(QualityRun.finished_at.is_not(None))
                           .order_by(QualityRun.started_at.desc()).limit(limit)).all()
    return list(reversed(rows))


def mark_handed_over(session: Session, finding_ids: list[int], instance_id: int) -> None:
    session.execute(update(QualityFinding).where(QualityFinding.id.in_(finding_ids)).values(instance_id=instance_id))


JOB_KINDS = {JOB_KIND: run_job}
