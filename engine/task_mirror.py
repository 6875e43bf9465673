"""Keep the ``human_task`` table in step with the READY user tasks of a workflow."""

from __future__ import annotations

import datetime as dt

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import HumanTask, ProcessInstance, utcnow
from .parser import TaskMeta


def ready_user_tasks(workflow) -> list:
    """READY manual tasks of the workflow and its subprocesses."""
    return workflow.get_tasks(state=TaskState.READY, manual=True)


def sync_tasks(
    session: Session, instance: ProcessInstance, workflow, meta: dict[str, TaskMeta], is_new: bool
) -> list[HumanTask]:
    """Insert rows for newly READY tasks, cancel rows whose task vanished; return the new rows."""
    ready = {str(t.id): t for t in ready_user_tasks(workflow)}
    existing: dict[str, HumanTask] = {}
    if not is_new:
        rows = session.scalars(
            select(HumanTask).where(HumanTask.instance_id == instance.id, HumanTask.status == "ready")
        )
        existing = {row.id: row for row in rows}
    now = utcnow()
    for task_id, row in existing.items():
        if task_id not in ready:
            row.status, row.completed_at = "cancelled", now
    reopened = _reopen_rows(session, [t for t in ready if t not in existing]) if not is_new else {}
    created = []
    for task_id, task in ready.items():
        if task_id in existing:
            continue
        if task_id in reopened:  # rewound to a task that was completed before: same task id
            created.append(reopened[task_id])
            continue
        info = meta.get(task.task_spec.name) or TaskMeta(
            name=task.task_spec.name, title=task.task_spec.bpmn_name or task.task_spec.name,
            lane=task.task_spec.lane, role=None,
        )
        row = HumanTask(
            id=task_id, instance=instance, process_key=instance.process_key,
            task_name=task.task_spec.name, title=info.title, lane=info.lane, role=info.role,
            priority=info.priority, customer_id=instance.customer_id, created_at=now,
            due_at=due_date(info.due, task, workflow, now),
        )
        session.add(row)
        created.append(row)
    return created


def _reopen_rows(session: Session, task_ids: list[str]) -> dict[str, HumanTask]:
    """Rows of earlier (completed/cancelled) tasks that are READY again, set back to ready."""
    if not task_ids:
        return {}
    rows = session.scalars(select(HumanTask).where(HumanTask.id.in_(task_ids))).all()
    for row in rows:
        row.status, row.assignee, row.completed_by, row.completed_at = "ready", None, None, None
        row.created_at = utcnow()
    return {row.id: row for row in rows}


def due_date(expression: str | None, task, workflow, now: dt.datetime) -> dt.datetime | None:
    """``P2D`` (a duration from now) or ``${expr}`` evaluated over task data; None if absent."""
    if not expression:
        return None
    expression = expression.strip()
    if expression.startswith("${") and expression.endswith("}"):
        value = workflow.script_engine.evaluate(task, expression[2:-1])
        if isinstance(value, str):
            value = dt.datetime.fromisoformat(value)
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            value = dt.datetime.combine(value, dt.time(17, 0))
        return value.replace(tzinfo=None) if value else None
    duration = TimerEventDefinition.parse_iso_duration(expression)
    aware = now.replace(tzinfo=dt.UTC)
    return now + TimerEventDefinition.get_timedelta_from_start(duration, aware)
