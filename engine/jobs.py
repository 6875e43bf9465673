"""Outbox jobs: run them (in process or from an rq worker), relay pending ones, fire due timers.

Jobs carry only an outbox row id. A job locks its instance, runs it and commits; what it did not
finish stays in the outbox and is pushed again (at-least-once; advancing an instance is idempotent).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable
from typing import Protocol

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from . import history
from .models import OutboxJob, ProcessInstance, utcnow
from .outbox import enqueue
from .runtime import ProcessEngine

log = logging.getLogger(__name__)

JOB_BACKOFF_SECONDS = (5, 30, 120, 600)


class Dispatcher(Protocol):
    """Delivers outbox job ids to whatever runs them."""

    def push(self, job_ids: list[int]) -> None: ...


JobKind = Callable[[Session, OutboxJob, dict], None]
"""An extra job kind: ``(session, job, payload)``; runs inside the job's transaction."""


class JobRunner:
    """Executes one outbox job in its own transaction."""

    def __init__(self, sessions: sessionmaker, engine: ProcessEngine, kinds: dict[str, JobKind] | None = None):
        self.sessions = sessions
        self.engine = engine
        self.kinds = dict(kinds or {})

    def run(self, job_id: int) -> str:
        """Run a job; returns its final status. Failures are recorded, never lost."""
        try:
            with self.sessions.begin() as session:
                job = session.get(OutboxJob, job_id, with_for_update=True)
                if job is None or job.status in ("done", "failed"):
                    return job.status if job else "missing"
                payload = json.loads(job.payload)
                session.info["retry_attempt"] = payload.get("attempt", 0)
                job.attempts += 1
                self._execute(session, job, payload)
                job.status, job.updated_at = "done", utcnow()
                return "done"
        except Exception as exc:
            log.exception("job %s failed", job_id)
            return self._record_failure(job_id, exc)

    def _execute(self, session: Session, job: OutboxJob, payload: dict) -> None:
        if job.kind == "timer":
            history.record(session, job.instance_id, "system", "timer_fired", f"due {payload.get('due', '')}")
            self.engine.advance(session, job.instance_id)
        elif job.kind == "advance":
            self.engine.advance(session, job.instance_id)
        elif job.kind == "retry":
            self.engine.advance(session, job.instance_id, retry=True)
        elif job.kind in self.kinds:
            self.kinds[job.kind](session, job, payload)
        else:
            raise ValueError(f"unknown job kind {job.kind!r}")

    def _record_failure(self, job_id: int, exc: Exception) -> str:
        with self.sessions.begin() as session:
            job = session.get(OutboxJob, job_id)
            if job is None:
                return "missing"
            job.attempts += 1
            job.last_error = f"{exc.__class__.__name__}: {exc}"
            job.updated_at = utcnow()
            if job.attempts >= job.max_attempts:
                job.status = "failed"
            else:
                delay = JOB_BACKOFF_SECONDS[min(job.attempts - 1, len(JOB_BACKOFF_SECONDS) - 1)]
                job.status, job.available_at = "pending", utcnow() + dt.timedelta(seconds=delay)
            return job.status


class InProcessDispatcher:
    """Embedded default: run jobs right away in this process, one transaction each."""

    def __init__(self, runner: JobRunner):
        self.runner = runner

    def push(self, job_ids: list[int]) -> None:
        for job_id in job_ids:
            self.runner.run(job_id)


class Relay:
    """Moves outbox rows to the dispatcher: new ones after commit, due or stale ones on each tick."""

    def __init__(self, sessions: sessionmaker, dispatcher: Dispatcher, stale_after: dt.timedelta,
                 clock: Callable[[], dt.datetime] = utcnow,
                 periodic: list[Callable[[Session, dt.datetime], object]] | None = None):
        self.sessions = sessions
        self.dispatcher = dispatcher
        self.stale_after = stale_after
        self.clock = clock
        self.periodic = list(periodic or [])

    def after_commit(self, session: Session) -> None:
        """Dispatch the jobs a just-committed transaction wrote (those due now)."""
        jobs = session.info.pop("new_jobs", [])
        now = self.clock()
        due = [job.id for job in jobs if job.available_at <= now]
        if due:
            self._push(due)

    def tick(self) -> int:
        """Queue due timers and periodic work, then push every due pending job and every stale queued one."""
        now = self.clock()
        with self.sessions.begin() as session:
            schedule_due_timers(session, now)
            for task in self.periodic:  # e.g. due-date reminders; they write outbox rows
                task(session, now)
        now = self.clock()  # again: the timer jobs just written are due now, push them in this tick
        with self.sessions.begin() as session:
            stale = now - self.stale_after
            rows = session.scalars(
                select(OutboxJob).where(or_(
                    (OutboxJob.status == "pending") & (OutboxJob.available_at <= now),
                    (OutboxJob.status == "queued") & (OutboxJob.updated_at <= stale),
                )).order_by(OutboxJob.id).limit(500).with_for_update(skip_locked=True)
            ).all()
            ids = [row.id for row in rows]
        if ids:
            self._push(ids)
        return len(ids)

    def _push(self, ids: list[int]) -> None:
        with self.sessions.begin() as session:
            for row in session.scalars(select(OutboxJob).where(OutboxJob.id.in_(ids))):
                if row.status in ("pending", "queued"):
                    row.status, row.updated_at = "queued", self.clock()
        try:
            self.dispatcher.push(ids)
        except Exception:  # queue unreachable: the rows wait for the next tick
            log.exception("could not dispatch jobs %s; they stay in the outbox", ids)
            with self.sessions.begin() as session:
                for row in session.scalars(select(OutboxJob).where(OutboxJob.id.in_(ids))):
                    if row.status == "queued":
                        row.status = "pending"


def schedule_due_timers(session: Session, now: dt.datetime) -> int:
    """Write an outbox job for every instance whose timer is due and has no open job."""
    due = session.scalars(
        select(ProcessInstance).where(
            ProcessInstance.next_timer_at <= now,
            ProcessInstance.status.in_(("running", "waiting")),
        ).with_for_update(skip_locked=True, of=ProcessInstance)
    ).all()
    count = 0
    for instance in due:
        open_job = session.scalar(
            select(OutboxJob.id).where(
                OutboxJob.instance_id == instance.id, OutboxJob.status.in_(("pending", "queued")),
                OutboxJob.kind.in_(("timer", "advance")),
            ).limit(1)
        )
        if open_job is None:
            enqueue(session, instance.id, "timer", {"due": instance.next_timer_at.isoformat()})
            count += 1
    return count
