"""The relay: moves outbox rows to the dispatcher and fires due timers.

Pushing happens *before* a row is marked ``queued``, and the mark is conditional on the row still
waiting: a worker that claimed (or finished) the job in between is never undone, and a push that
fails leaves the row ``pending`` with nothing to reset. A duplicate message is harmless (the
runner's claim is conditional too). Rows are found again when due (``pending``), when their worker's
heartbeat stopped (``running``), or when the queue lost them (``queued`` for ``requeue_after`` and
not held by the dispatcher: rq dropped it, or Redis restarted empty).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from .jobs import Dispatcher
from .models import OutboxJob, ProcessInstance, utcnow
from .outbox import enqueue

log = logging.getLogger(__name__)

BATCH = 500


class Relay:
    """Moves outbox rows to the dispatcher: new ones after commit, due, stale or lost ones on each tick.

    ``urgent`` delivers the jobs of a just-committed transaction (in the web: a short best-effort
    push behind a circuit breaker); ``dispatcher`` is used by the tick, off the request path.
    """

    def __init__(self, sessions: sessionmaker, dispatcher: Dispatcher, stale_after: dt.timedelta,
                 requeue_after: dt.timedelta = dt.timedelta(seconds=10), *,
                 urgent: Dispatcher | None = None,
                 clock: Callable[[], dt.datetime] = utcnow,
                 periodic: list[Callable[[Session, dt.datetime], object]] | None = None):
        self.sessions = sessions
        self.dispatcher = dispatcher
        self.urgent = urgent or dispatcher
        self.stale_after = stale_after
        self.requeue_after = requeue_after
        self.clock = clock
        self.periodic = list(periodic or [])

    def after_commit(self, session: Session) -> None:
        """Dispatch the jobs a just-committed transaction wrote (those due now); never raises."""
        jobs = session.info.pop("new_jobs", [])
        now = self.clock()
        due = [job.id for job in jobs if job.available_at <= now]
        if due:
            self._push(self.urgent, due)

    def tick(self) -> int:
        """Queue due timers and periodic work, then push due, stale and lost jobs; returns how many."""
        now = self.clock()
        with self.sessions.begin() as session:
            schedule_due_timers(session, now)
            for task in self.periodic:  # e.g. due-date reminders; they write outbox rows
                task(session, now)
        ids = self._waiting(self.clock())  # again: the timer jobs just written are due now
        if ids:
            self._push(self.dispatcher, ids)
        return len(ids)

    def _waiting(self, now: dt.datetime) -> list[int]:
        """Ids of rows to push: due pending ones, running ones whose heartbeat stopped, lost queued ones.

        A running row whose worker fell silent goes back to ``queued`` here, before it is pushed, so
        the worker that receives it can claim it.
        """
        silent = (OutboxJob.status == "running") & (OutboxJob.heartbeat_at <= now - self.stale_after)
        with self.sessions.begin() as session:
            rows = session.execute(
                select(OutboxJob.id, OutboxJob.status).where(or_(
                    (OutboxJob.status == "pending") & (OutboxJob.available_at <= now),
                    (OutboxJob.status == "queued") & (OutboxJob.updated_at <= now - self.requeue_after),
                    silent,
                )).order_by(OutboxJob.id).limit(BATCH).with_for_update(skip_locked=True)
            ).all()
            abandoned = [row.id for row in rows if row.status == "running"]
            if abandoned:
                log.warning("jobs %s: no heartbeat for %s; pushing them again", abandoned, self.stale_after)
                session.execute(update(OutboxJob).where(OutboxJob.id.in_(abandoned), silent)
                                .values(status="queued", updated_at=now)
                                .execution_options(synchronize_session=False))
        queued = [row.id for row in rows if row.status == "queued"]
        held = self._held(queued)
        if held:  # waiting in the queue behind other work: not lost, look again later
            self._mark(held)
        return [row.id for row in rows if row.id not in held]

    def _held(self, ids: list[int]) -> set[int]:
        if not ids:
            return set()
        try:
            return self.dispatcher.holds(ids)
        except Exception:  # queue unreachable: pushing fails too, the rows stay as they are
            log.warning("could not ask the queue about jobs %s", ids, exc_info=True)
            return set(ids)

    def _push(self, dispatcher: Dispatcher, ids: list[int]) -> None:
        try:
            dispatcher.push(ids)
        except Exception as exc:  # queue unreachable or too slow: the rows wait for the next tick
            log.warning("could not dispatch jobs %s (%s); they stay in the outbox", ids, exc)
            return
        try:
            self._mark(ids)
        except Exception:  # unmarked rows are pushed again by a tick; the runner's claim drops the duplicate
            log.warning("could not mark jobs %s queued", ids, exc_info=True)

    def _mark(self, ids: list[int]) -> None:
        """Set ``queued`` (and the time) on rows still waiting; a row claimed or finished meanwhile is left alone."""
        stamp = self.clock()
        still_waiting = or_(
            OutboxJob.status == "queued",
            # a row that failed meanwhile waits out its backoff as pending
            (OutboxJob.status == "pending") & (OutboxJob.available_at <= stamp),
        )
        with self.sessions.begin() as session:
            session.execute(update(OutboxJob).where(OutboxJob.id.in_(ids), still_waiting)
                            .values(status="queued", updated_at=stamp)
                            .execution_options(synchronize_session=False))


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
                OutboxJob.instance_id == instance.id, OutboxJob.status.in_(("pending", "queued", "running")),
                OutboxJob.kind.in_(("timer", "advance")),
            ).limit(1)
        )
        if open_job is None:
            enqueue(session, instance.id, "timer", {"due": instance.next_timer_at.isoformat()})
            count += 1
    return count
