"""Writing an instance's history rows."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
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


def record_once(session: Session, once_key: str, instance_id: int, actor: str, kind: str, message: str = "") -> bool:
    """Write a history row named ``once_key`` unless it exists; False when it did (the effect already happened).

    The unique constraint decides, so two deliveries of one job in parallel write one row: the second
    waits for the first's commit and then finds the key taken.
    """
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (dialect.insert(InstanceEvent)
                 .values(**event_values(instance_id, actor, kind, message), once_key=once_key)
                 .on_conflict_do_nothing(index_elements=["once_key"])
                 .returning(InstanceEvent.id))
    return session.execute(statement).scalar() is not None
