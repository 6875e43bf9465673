"""What operators and their tools ask of a running site: is it ready, and the figures behind ``/metrics``.

Readiness: the database answers and is migrated to the code's newest revision, and Redis answers
(when jobs go through it). Metrics: counts read from the database at scrape time (outbox depth by
status, failed jobs, instances in error, timer lag) and the rq queue's depth, so they are right
whichever process or machine did the work; durations are observed where the work runs
(:mod:`engine.metrics`, the web's request histogram).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from prometheus_client.core import GaugeMetricFamily, Metric
from redis import Redis
from rq import Queue
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from engine.models import OutboxJob, ProcessInstance, utcnow
from services.schema import current_revision, head_revision, knows_revision

CHECK_TIMEOUT_S = 1.0
OUTBOX_STATUSES = ("pending", "queued", "running", "failed")


def readiness(sessions: sessionmaker, settings: Settings) -> tuple[bool, dict[str, str]]:
    """(ready, check -> "ok…" or what is wrong) for the database, its migrations and Redis."""
    checks: dict[str, str] = {}
    try:
        with sessions() as session:
            at = current_revision(session.connection())
        checks["database"] = "ok"
        checks["migrations"] = _migrations(at)
    except Exception as exc:  # unreachable, wrong password, dropped connection: not ready, say why
        checks["database"] = _problem(exc)
        checks["migrations"] = "unknown: the database did not answer"
    if settings.uses_redis:
        try:
            _redis(settings.redis_url).ping()
            checks["redis"] = "ok"
        except Exception as exc:
            checks["redis"] = _problem(exc)
    return all(value.startswith("ok") for value in checks.values()), checks


def _migrations(at: str | None) -> str:
    """"ok" at the code's head; also ok (and said) when a newer release already migrated (rolling upgrade)."""
    head = head_revision()
    if at == head:
        return "ok"
    if at and not knows_revision(at):
        return f"ok: database at {at}, newer than this code ({head}): an upgrade is rolling out"
    return f"database at {at or 'no revision'}, code needs {head}: run flask crm init-db"


@lru_cache(maxsize=4)
def _redis(url: str) -> Redis:
    """One short-timeout client per process (a probe must not hang on a frozen Redis)."""
    return Redis.from_url(url, socket_connect_timeout=CHECK_TIMEOUT_S, socket_timeout=CHECK_TIMEOUT_S)


def _problem(exc: Exception) -> str:
    return f"{exc.__class__.__name__}: {exc}".splitlines()[0][:300]


class DatabaseCollector:
    """Prometheus collector: gauges read from the database (and rq) on every scrape."""

    def __init__(self, sessions: sessionmaker, settings: Settings):
        self.sessions = sessions
        self.settings = settings

    def describe(self) -> list[Metric]:
        return []  # nothing to read when registered; the figures come at scrape time

    def collect(self) -> Iterator[Metric]:
        with self.sessions() as session:
            figures = operational_figures(session)
        outbox = GaugeMetricFamily("crm_outbox_jobs", "Outbox jobs by status (pending/queued/running: depth)",
                                   labels=["status"])
        for status in OUTBOX_STATUSES:
            outbox.add_metric([status], figures["outbox"].get(status, 0))
        yield outbox
        yield GaugeMetricFamily("crm_failed_jobs", "Outbox jobs that failed for good (admin console: requeue)",
                                value=figures["outbox"].get("failed", 0))
        errors = GaugeMetricFamily("crm_instances_in_error", "Process instances stopped by an error",
                                   labels=["process"])
        for process, count in sorted(figures["errors"].items()):
            errors.add_metric([process], count)
        yield errors
        yield GaugeMetricFamily("crm_instances_in_error_total", "Process instances stopped by an error, all processes",
                                value=sum(figures["errors"].values()))
        yield GaugeMetricFamily("crm_timer_lag_seconds", "How long the most overdue timer is past its due time",
                                value=figures["timer_lag_seconds"])
        yield GaugeMetricFamily("crm_timers_overdue", "Timers past their due time, not fired yet",
                                value=figures["timers_overdue"])
        if self.settings.uses_redis:
            try:
                depth = Queue(self.settings.queue_name, connection=_redis(self.settings.redis_url)).count
            except Exception:  # Redis away: /readyz says so; the other figures still count
                depth = float("nan")
            yield GaugeMetricFamily("crm_queue_depth", "Jobs waiting in the rq queue (NaN: Redis unreachable)",
                                    value=depth)


def operational_figures(session: Session) -> dict:
    """Outbox counts by status, instances in error per process, overdue timers and the worst lag."""
    now = utcnow()
    outbox = dict(session.execute(select(OutboxJob.status, func.count())
                                  .where(OutboxJob.status.in_(OUTBOX_STATUSES)).group_by(OutboxJob.status)).all())
    errors = dict(session.execute(select(ProcessInstance.process_key, func.count())
                                  .where(ProcessInstance.status == "error")
                                  .group_by(ProcessInstance.process_key)).all())
    oldest, overdue = session.execute(
        select(func.min(ProcessInstance.next_timer_at), func.count())
        .where(ProcessInstance.next_timer_at < now, ProcessInstance.status.in_(("running", "waiting")))).one()
    return {"outbox": outbox, "errors": errors, "timers_overdue": overdue,
            "timer_lag_seconds": (now - oldest).total_seconds() if oldest else 0.0}
