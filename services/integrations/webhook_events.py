"""The process events a webhook can subscribe to, read from the engine as they are written (same transaction):
a task created (task listener), a task completed, a process completed or failed for good (step listener)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from crm.integrations.webhooks import ANY_ACTIVE, emit, note_any_active
from engine.models import HumanTask, ProcessInstance
from engine.riders import Rider

STEP_EVENTS = {"task_completed": "task.completed", "completed": "process.completed", "error": "process.failed"}
"""History row kind -> webhook event."""
HOOKS_RIDER = Rider(ANY_ACTIVE, note_any_active)
"""Whether any hook is active, asked along with the engine step's write: with none, the step's events are not read
for (:mod:`engine.riders`)."""


def _iso(value) -> str | None:
    return value.isoformat(timespec="seconds") + "Z" if value is not None else None


def task_created(session: Session, row: HumanTask) -> None:
    """Task listener: ``task.created`` with what the task is and who it waits for."""
    emit(session, "task.created", {
        "task_id": row.id, "instance_id": row.instance_id, "process": row.process_key, "name": row.task_name,
        "title": row.title, "lane": row.lane, "role": row.role, "assignee": row.assignee,
        "customer_id": row.customer_id, "due_at": _iso(row.due_at)})


def _retry_queued(session: Session, instance_id: int) -> bool:
    """Whether the engine queued a retry of the failed step in this transaction: the error is not final yet
    (``process.failed`` is sent once the last retry fails, or for an error the engine does not retry)."""
    return any(job.kind == "retry" and job.instance_id == instance_id for job in session.info.get("new_jobs", ()))


def step_written(session: Session, instance: ProcessInstance, events: list[dict]) -> None:
    """Step listener: ``task.completed``, ``process.completed`` and ``process.failed`` from the step's history."""
    for event in events:
        name = STEP_EVENTS.get(event["kind"])
        if name is None or (name == "process.failed" and _retry_queued(session, instance.id)):
            continue
        data = {"instance_id": instance.id, "process": instance.process_key, "title": instance.title,
                "customer_id": instance.customer_id, "actor": event["actor"], "at": _iso(event["at"])}
        if name == "task.completed":
            data.update(task_id=event["task_id"], task=event["task_name"])
        elif name == "process.failed":
            data.update(task=event["task_name"], message=event["message"])
        emit(session, name, data)
