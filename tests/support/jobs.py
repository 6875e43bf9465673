"""Wait for the job outbox to drain (in process: immediate; with rq workers: poll)."""

from __future__ import annotations

import time

from sqlalchemy import func, select, update

from engine.models import OutboxJob, utcnow


def open_jobs(platform, include_delayed: bool = False) -> int:
    """Jobs queued, running or pending; delayed ones (retry backoff) only with ``include_delayed``."""
    pending = OutboxJob.status == "pending"
    if not include_delayed:
        pending = pending & (OutboxJob.available_at <= utcnow())
    with platform.sessions() as session:
        return session.scalar(select(func.count()).select_from(OutboxJob).where(
            OutboxJob.status.in_(("queued", "running")) | pending))


def make_all_due(platform) -> None:
    """Pretend every delayed job's time has come (retry backoff) without waiting."""
    with platform.sessions.begin() as session:
        session.execute(update(OutboxJob).where(OutboxJob.status == "pending").values(available_at=utcnow()))


def settle(platform, timeout: float = 30.0, fast_forward: bool = False) -> None:
    """Tick the relay until no job is pending, queued or running (or fail after ``timeout``)."""
    deadline = time.monotonic() + timeout
    while True:
        if fast_forward:
            make_all_due(platform)
        platform.relay.tick()
        remaining = open_jobs(platform, include_delayed=fast_forward)
        if remaining == 0:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"{remaining} job(s) still open after {timeout}s")
        time.sleep(0.05)
