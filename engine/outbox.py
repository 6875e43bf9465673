"""Writing outbox jobs: work for after the commit, in the same transaction as the change needing it."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy.orm import Session

from config.logs import request_id

from .models import OutboxJob, utcnow


def enqueue(session: Session, instance_id: int, kind: str, payload: dict | None = None,
            delay: dt.timedelta = dt.timedelta(0)) -> OutboxJob:
    """Write an outbox job in the current transaction; it is dispatched after commit.

    The job remembers the id of the request (or job) that wrote it, so its log lines can be traced back.
    """
    job = OutboxJob(instance_id=instance_id, kind=kind, payload=json.dumps(payload or {}),
                    available_at=utcnow() + delay, request_id=request_id.get())
    session.add(job)
    session.info.setdefault("new_jobs", []).append(job)
    return job
