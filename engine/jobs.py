"""Outbox jobs: claim one, run it in its own transaction with a heartbeat, record how it ended.

Jobs carry only an outbox row id and may be delivered more than once (a re-push after a lost
worker, a duplicate message). A run first *claims* its row (``pending``/``queued`` or ``running``
with a stopped heartbeat → ``running``) with one conditional statement, so a finished job is never
run again; effects that must happen once (a timer occurrence firing, a retry attempt) are written
with :func:`engine.history.record_once`, whose unique key a second delivery cannot pass.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Protocol

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from config.logs import request_id

from . import history
from .metrics import JOB_SECONDS
from .models import OutboxJob, utcnow
from .runtime import ProcessEngine

log = logging.getLogger(__name__)

JOB_BACKOFF_SECONDS = (5, 30, 120, 600)


class Dispatcher(Protocol):
    """Delivers outbox job ids to whatever runs them."""

    def push(self, job_ids: list[int]) -> None: ...

    def holds(self, job_ids: list[int]) -> set[int]:
        """Which of ``job_ids`` the queue still has waiting or running (not lost)."""
        ...


JobKind = Callable[[Session, OutboxJob, dict], None]
"""An extra job kind: ``(session, job, payload)``; runs inside the job's transaction."""


class JobRunner:
    """Executes one outbox job in its own transaction.

    ``heartbeat`` (seconds, 0 = off) is how often a running job's row is touched from a side
    thread, so the relay can tell a slow job from one whose worker is gone.
    """

    def __init__(self, sessions: sessionmaker, engine: ProcessEngine, kinds: dict[str, JobKind] | None = None,
                 *, heartbeat: float = 0.0):
        self.sessions = sessions
        self.engine = engine
        self.kinds = dict(kinds or {})
        self.heartbeat = heartbeat

    def run(self, job_id: int) -> str:
        """Run a job; returns its final status. Failures are recorded, never lost.

        A job that is not claimable (done, failed, running elsewhere, not yet due) is left alone and
        its status returned. If the database fails so badly that not even the failure can be written,
        the row stays ``running`` and its heartbeat stops: the relay pushes it again.
        """
        claimed, origin = self._claim(job_id)
        if not claimed:
            return self._status(job_id)
        token = request_id.set(origin or f"job-{job_id}")  # log lines name the request that asked for the job
        began, kind, outcome = time.perf_counter(), "unknown", "done"
        try:
            with self._beating(job_id), self.sessions.begin() as session:
                job = session.get(OutboxJob, job_id)
                kind = job.kind
                self._execute(session, job, json.loads(job.payload))
                self._finish(session, job_id, {"status": "done"})
            return outcome
        except Exception as exc:
            log.exception("job %s failed", job_id)
            outcome = self._record_failure(job_id, exc)
            return outcome
        finally:
            JOB_SECONDS.labels(kind, "done" if outcome == "done" else "error").observe(time.perf_counter() - began)
            request_id.reset(token)

    def _claim(self, job_id: int) -> tuple[bool, str | None]:
        """Take the row (pending or queued, and due) for this run; False when it is not to be run now."""
        now = utcnow()
        with self.sessions.begin() as session:
            claimed = session.execute(
                update(OutboxJob).where(OutboxJob.id == job_id, OutboxJob.status.in_(("pending", "queued")),
                                        OutboxJob.available_at <= now)
                .values(status="running", attempts=OutboxJob.attempts + 1, heartbeat_at=now, updated_at=now)
                .returning(OutboxJob.request_id)
            ).first()
        return claimed is not None, claimed.request_id if claimed else None

    def _status(self, job_id: int) -> str:
        with self.sessions() as session:
            return session.scalar(select(OutboxJob.status).where(OutboxJob.id == job_id)) or "missing"

    @contextmanager
    def _beating(self, job_id: int) -> Iterator[None]:
        """Touch ``heartbeat_at`` every ``heartbeat`` seconds while the body runs."""
        if not self.heartbeat:
            yield
            return
        stop = threading.Event()

        def beat() -> None:
            while not stop.wait(self.heartbeat):
                try:
                    with self.sessions.begin() as session:
                        session.execute(update(OutboxJob).where(OutboxJob.id == job_id, OutboxJob.status == "running")
                                        .values(heartbeat_at=utcnow()))
                except Exception:  # the database is away: the job itself will fail and say so
                    log.warning("heartbeat of job %s not written", job_id, exc_info=True)

        thread = threading.Thread(target=beat, name=f"job-{job_id}-heartbeat", daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join()

    def _execute(self, session: Session, job: OutboxJob, payload: dict) -> None:
        session.info["retry_attempt"] = payload.get("attempt", 0)
        if job.kind == "timer":
            due = payload.get("due") or f"job-{job.id}"
            history.record_once(session, f"timer:{job.instance_id}:{due}", job.instance_id, "system",
                                "timer_fired", f"due {payload.get('due', '')}")
            self.engine.advance(session, job.instance_id)  # idempotent: a timer already fired is not due
        elif job.kind == "advance":
            self.engine.advance(session, job.instance_id)
        elif job.kind == "retry":
            if history.record_once(session, f"retry:{job.id}", job.instance_id, "system", "retried",
                                   f"attempt {payload.get('attempt', 0)}"):
                self.engine.advance(session, job.instance_id, retry=True)
        elif job.kind in self.kinds:
            self.kinds[job.kind](session, job, payload)
        else:
            raise ValueError(f"unknown job kind {job.kind!r}")

    @staticmethod
    def _finish(session: Session, job_id: int, values: dict) -> None:
        session.execute(update(OutboxJob).where(OutboxJob.id == job_id, OutboxJob.status == "running")
                        .values(updated_at=utcnow(), **values))

    def _record_failure(self, job_id: int, exc: Exception) -> str:
        with self.sessions.begin() as session:
            job = session.get(OutboxJob, job_id)
            if job is None:
                return "missing"
            values: dict = {"last_error": f"{exc.__class__.__name__}: {exc}"[:4000]}
            if job.attempts >= job.max_attempts:
                values["status"] = "failed"
            else:
                delay = JOB_BACKOFF_SECONDS[min(job.attempts - 1, len(JOB_BACKOFF_SECONDS) - 1)]
                values["status"], values["available_at"] = "pending", utcnow() + dt.timedelta(seconds=delay)
            self._finish(session, job_id, values)
            return values["status"]


class InProcessDispatcher:
    """Embedded default: run jobs right away in this process, one transaction each."""

    def __init__(self, runner: JobRunner):
        self.runner = runner

    def push(self, job_ids: list[int]) -> None:
        for job_id in job_ids:
            self.runner.run(job_id)

    def holds(self, job_ids: list[int]) -> set[int]:
        """Nothing waits in between: a job pushed here has run."""
        return set()
