"""Keep the ``human_task`` table in step with the READY user tasks of a workflow."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import HumanTask, ProcessInstance, utcnow
from .parser import TaskMeta
from .step_writer import NewRows, SetValues, Write


def ready_user_tasks(workflow) -> list:
    """READY manual tasks of the workflow and its subprocesses."""
    return workflow.get_tasks(state=TaskState.READY, manual=True)


@dataclass
class TaskChanges:
    """What saving a step does to the task table: writes to run, then rows to attach and announce."""

    writes: list[Write] = field(default_factory=list)
    inserted: list[HumanTask] = field(default_factory=list)
    cancelled: list[str] = field(default_factory=list)
    reopened: list[HumanTask] = field(default_factory=list)
    notes: list[tuple[object, str]] = field(default_factory=list)
    """(task, message) for the history: e.g. an assignee that could not be used."""

    @property
    def new_rows(self) -> list[HumanTask]:
        """Rows of tasks that became READY (the task listeners' business)."""
        return self.reopened + self.inserted


AssigneeResolver = Callable[[Session, Any, "str | None"], "str | None"]
"""``(session, value, role) -> username``: the user a task's assignee value names, if they may take a task of
``role``; None leaves the task in the lane's queue."""


def usernames_as_given(session: Session, value: Any, role: str | None) -> str | None:
    """The engine's own resolver: a non-empty string is taken as a username (the app checks users)."""
    return value.strip() or None if isinstance(value, str) else None


def sync_tasks(
    session: Session, instance: ProcessInstance, workflow, meta: dict[str, TaskMeta],
    ready_before: Collection[str] | None, customer_id: int | None,
    resolve_assignee: AssigneeResolver = usernames_as_given,
) -> TaskChanges:
    """Rows for newly READY tasks, and cancelled rows for tasks that vanished.

    ``ready_before`` holds the ids of the instance's open rows, known from the workflow as loaded:
    in normal engine steps a finished task never becomes READY again, so a task READY now and not
    then has no row yet. None (after an admin reset or edit) reads the open rows and reopens rows
    of tasks a reset brought back.
    """
    ready = {str(t.id): t for t in ready_user_tasks(workflow)}
    changes = TaskChanges()
    if ready_before is None:
        ready_before = set(session.scalars(
            select(HumanTask.id).where(HumanTask.instance_id == instance.id, HumanTask.status == "ready")))
        changes.reopened = _reopen_rows(session, [t for t in ready if t not in ready_before])
    now = utcnow()
    changes.cancelled = [task_id for task_id in ready_before if task_id not in ready]
    if changes.cancelled:
        changes.writes.append(SetValues(HumanTask.__table__, {"status": "cancelled", "completed_at": now},
                                        {"id": changes.cancelled, "status": "ready"}))
    reopened = {row.id for row in changes.reopened}
    for task_id, task in ready.items():
        if task_id in ready_before or task_id in reopened:
            continue
        info = meta.get(task.task_spec.name) or TaskMeta(
            name=task.task_spec.name, title=task.task_spec.bpmn_name or task.task_spec.name,
            lane=task.task_spec.lane, role=None,
        )
        assignee = _assignee(session, info, task, workflow, resolve_assignee, changes.notes)
        changes.inserted.append(HumanTask(
            id=task_id, instance_id=instance.id, process_key=instance.process_key,
            task_name=task.task_spec.name, title=info.title, lane=info.lane, role=info.role, assignee=assignee,
            status="ready", priority=task_priority(info, task, workflow), customer_id=customer_id, created_at=now,
            due_at=due_date(info.due, task, workflow, now), follow_up_at=None, completed_by=None,
            completed_at=None,
        ))
    if changes.inserted:
        changes.writes.append(NewRows(HumanTask.__table__, [_columns(row) for row in changes.inserted]))
    return changes


def _columns(row: HumanTask) -> dict:
    return {column.key: getattr(row, column.key) for column in HumanTask.__table__.columns}


def _reopen_rows(session: Session, task_ids: list[str]) -> list[HumanTask]:
    """Rows of earlier (completed/cancelled) tasks that are READY again, set back to ready."""
    if not task_ids:
        return []
    rows = list(session.scalars(select(HumanTask).where(HumanTask.id.in_(task_ids))))
    for row in rows:
        row.status, row.assignee, row.completed_by, row.completed_at = "ready", None, None, None
        row.created_at = utcnow()
    return rows


def _assignee(session: Session, info: TaskMeta, task, workflow, resolve: AssigneeResolver,
              notes: list[tuple[object, str]]) -> str | None:
    """The task's assignee from its ``camunda:assignee``; a value naming nobody suitable is noted, not fatal."""
    if not info.assignee:
        return None
    try:
        value = _evaluate(info.assignee, task, workflow)
    except Exception as exc:  # a bad expression must not lose the step: the lane's queue takes the task
        notes.append((task, f"assignee {info.assignee} failed ({exc.__class__.__name__}: {exc}); "
                            "the task waits in the lane's queue"))
        return None
    if value in (None, ""):
        return None
    username = resolve(session, value, info.role)
    if username is None:
        notes.append((task, f"assignee {value!r} is not an active user of the {info.lane or 'task'}'s role; "
                            "the task waits in the lane's queue"))
    return username


def _evaluate(expression: str, task, workflow) -> Any:
    """``${expr}`` evaluated over the task data (sandboxed); anything else is a literal."""
    expression = expression.strip()
    if expression.startswith("${") and expression.endswith("}"):
        return workflow.script_engine.evaluate(task, expression[2:-1])
    return expression


def task_priority(info: TaskMeta, task, workflow) -> int:
    """The task's priority: ``${expr}`` over the task data (0 to 100), else the fixed one; a failing
    expression leaves the fixed one (the priority only orders a worklist)."""
    if info.priority_expression is None:
        return info.priority
    try:
        return max(0, min(100, int(_evaluate(info.priority_expression, task, workflow))))
    except Exception:  # any failure: the worklist still needs a number
        return info.priority


def due_date(expression: str | None, task, workflow, now: dt.datetime) -> dt.datetime | None:
    """``P2D`` (a duration from now) or ``${expr}`` evaluated over task data; None if absent."""
    if not expression:
        return None
    expression = expression.strip()
    if expression.startswith("${") and expression.endswith("}"):
        value = _evaluate(expression, task, workflow)
        if isinstance(value, str):
            value = dt.datetime.fromisoformat(value)
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            value = dt.datetime.combine(value, dt.time(17, 0))
        return value.replace(tzinfo=None) if value else None
    duration = TimerEventDefinition.parse_iso_duration(expression)
    aware = now.replace(tzinfo=dt.UTC)
    return now + TimerEventDefinition.get_timedelta_from_start(duration, aware)
