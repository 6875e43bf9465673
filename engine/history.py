"""Writing an instance's history rows."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from .models import InstanceEvent, utcnow


def event_values(
    instance_id: int,
    actor: str,
    kind: str,
    message: str = "",
    task=None,
    before: str | None = None,
    after: str | None = None,
) -> dict[str, Any]:
    """The column values of one history row; ``task`` may be a SpiffWorkflow task or a ``HumanTask`` row."""
    task_id = task_name = None
    if task is not None:
        task_id = str(task.id)
        task_name = getattr(task, "task_name", None) or task.task_spec.name
    return {"instance_id": instance_id, "at": utcnow(), "actor": actor, "kind": kind, "message": message,
            "task_id": task_id, "task_name": task_name, "data_before": before, "data_after": after}


def record(session: Session, instance_id: int, actor: str, kind: str, message: str = "", **details: Any
           ) -> InstanceEvent:
    """Add one history row to the session; ``details`` are ``task``, ``before``, ``after`` of :func:`event_values`."""
    event = InstanceEvent(**event_values(instance_id, actor, kind, message, **details))
    session.add(event)
    return event
