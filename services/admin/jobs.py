"""Job queue status and requeueing failed jobs (the outbox and, in production, rq's failed registry)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm import audit
from engine import history
from engine.errors import InvalidState
from engine.models import OutboxJob, utcnow
from engine.runtime import Actor
from i18n import _


def failed_jobs(session: Session, limit: int = 200) -> list[OutboxJob]:
    """The outbox jobs that failed for good, most recently updated first."""
    return list(session.scalars(select(OutboxJob).where(OutboxJob.status == "failed")
                                .order_by(OutboxJob.updated_at.desc()).limit(limit)))


def queue_status(session: Session, platform) -> dict:
    """Outbox counts and, with Redis, rq queue depth and failed-registry size (None if unreachable)."""
    outbox = dict(session.execute(select(OutboxJob.status, func.count()).group_by(OutboxJob.status)).all())
    status = {"outbox": outbox, "mode": "rq" if platform.settings.uses_redis else "in process",
              "rq_depth": None, "rq_failed": None, "redis_error": None}
    if platform.settings.uses_redis:
        queue = platform.dispatcher.queue
        try:
            status["rq_depth"] = queue.count
            status["rq_failed"] = queue.failed_job_registry.count
        except Exception as exc:  # Redis down: say so on the page instead of failing it
            status["redis_error"] = f"{exc.__class__.__name__}: {exc}"
    return status


def requeue_failed(session: Session, platform, actor: Actor, reason: str) -> int:
    """Give failed outbox jobs a fresh start and requeue rq's failed registry; returns how many."""
    if not (reason or "").strip():
        raise InvalidState(_("say why: requeueing needs a reason for the audit log"))
    count = 0
    for job in session.scalars(select(OutboxJob).where(OutboxJob.status == "failed")):
        job.status, job.attempts, job.available_at = "pending", 0, utcnow()
        session.info.setdefault("new_jobs", []).append(job)
        if job.instance_id is not None:
            history.record(session, job.instance_id, actor.username, "job_requeued", reason)
        count += 1
    audit.record(session, actor.username, "jobs.requeue_failed", "outbox", {"count": count}, reason)
    if platform.settings.uses_redis:
        registry = platform.dispatcher.queue.failed_job_registry
        for job_id in registry.get_job_ids():
            registry.requeue(job_id)
            count += 1
    return count
