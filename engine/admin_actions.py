"""Repair actions on one instance (admin console and CLI); each is recorded with its reason.

Every function locks the instance, changes it, saves through the engine and writes history; the
caller commits (and so the audit row lands with the change, or neither does).
"""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.util.event import BpmnEvent
from SpiffWorkflow.exceptions import TaskNotFoundException, WorkflowException
from SpiffWorkflow.util.task import TaskState
from sqlalchemy.orm import Session

from i18n import _

from . import history
from .actors import Actor
from .errors import InvalidState, NotFound
from .models import ProcessInstance, utcnow
from .outbox import enqueue
from .runtime import ProcessEngine
from .state import current_data


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidState(_("say why: every repair action needs a reason for the audit log"))
    return reason


def completed_tasks(engine: ProcessEngine, instance: ProcessInstance) -> list:
    """Completed tasks an instance can be rewound to (user, script and service tasks), oldest first."""
    workflow = engine.restore(instance)
    tasks = [t for t in workflow.get_tasks(state=TaskState.COMPLETED)
             if getattr(t.task_spec, "bpmn_id", None) and t.task_spec.__class__.__name__.endswith("Task")]
    return sorted(tasks, key=lambda t: t.last_state_change)


def _task(workflow, task_id: str):
    """The workflow's task with id ``task_id``; None when ``task_id`` is empty, not a task id, or not in it."""
    try:
        return workflow.get_task_from_id(UUID(task_id))
    except (ValueError, TypeError, TaskNotFoundException):
        return None


def service_tasks_after(engine: ProcessEngine, instance: ProcessInstance, task_id: str) -> list[str]:
    """Names of service tasks that ran after ``task_id`` and would run again on a rewind."""
    workflow = engine.restore(instance)
    target = _task(workflow, task_id)
    if target is None:
        raise NotFound(_("no task %(task)s in instance %(id)s", task=task_id, id=instance.id))
    return [t.task_spec.bpmn_name or t.task_spec.name for t in workflow.get_tasks(state=TaskState.COMPLETED)
            if hasattr(t.task_spec, "operation_name") and t.last_state_change >= target.last_state_change]


def rewind(session: Session, engine: ProcessEngine, instance_id: int, task_id: str, actor: Actor, reason: str):
    """Reset the instance to a completed task and run on from there (side effects after it run again)."""
    reason = _require_reason(reason)
    instance = engine.lock_instance(session, instance_id)
    if instance.status == "terminated":
        raise InvalidState(_("a terminated instance cannot be rewound"))
    workflow = engine.restore(instance)
    task = _task(workflow, task_id)
    if task is None or not task.has_state(TaskState.COMPLETED):
        raise InvalidState(_("rewind needs a completed task of this instance"))
    workflow.reset_from_task_id(task.id)
    instance.error_task = instance.error_message = instance.error_traceback = None
    instance.completed_at = None
    history.record(session, instance.id, actor.username, "rewound", reason, task=task)
    engine.run_after_repair(session, instance, workflow, actor)
    return instance


def retry(session: Session, engine: ProcessEngine, instance_id: int, actor: Actor, reason: str):
    """Run the failed task again (after the cause was fixed)."""
    reason = _require_reason(reason)
    instance = engine.lock_instance(session, instance_id)
    if instance.status != "error":
        raise InvalidState(_("only an instance in error can be retried (this one is %(status)s)",
                             status=instance.status))
    history.record(session, instance.id, actor.username, "retry_requested", reason)
    history.record(session, instance.id, actor.username, "retried")
    return engine.advance(session, instance_id, actor, retry=True)


def set_suspended(session: Session, engine: ProcessEngine, instance_id: int, suspended: bool, actor: Actor,
                  reason: str):
    """Suspend (nothing runs, tasks cannot be completed) or resume an instance."""
    reason = _require_reason(reason)
    instance = engine.lock_instance(session, instance_id)
    if suspended:
        if instance.status in ("completed", "terminated", "suspended"):
            raise InvalidState(_("the instance is %(status)s", status=instance.status))
        instance.status = "suspended"
        history.record(session, instance.id, actor.username, "suspended", reason)
        return instance
    if instance.status != "suspended":
        raise InvalidState(_("the instance is not suspended"))
    history.record(session, instance.id, actor.username, "resumed", reason)
    engine.run_after_repair(session, instance, engine.restore(instance), actor)
    return instance


def terminate(session: Session, engine: ProcessEngine, instance_id: int, actor: Actor, reason: str):
    """Stop an instance for good; its open tasks are cancelled."""
    reason = _require_reason(reason)
    instance = engine.lock_instance(session, instance_id)
    if instance.status in ("completed", "terminated"):
        raise InvalidState(_("the instance is already %(status)s", status=instance.status))
    workflow = engine.restore(instance)
    workflow.cancel()
    engine.save(session, instance, workflow, status="terminated")
    history.record(session, instance.id, actor.username, "terminated", reason)
    return instance


def fire_timer_now(session: Session, engine: ProcessEngine, instance_id: int, actor: Actor, reason: str):
    """Make every waiting timer of the instance due now and run it."""
    reason = _require_reason(reason)
    instance = engine.lock_instance(session, instance_id)
    workflow = engine.restore(instance)
    past = (utcnow() - dt.timedelta(seconds=1)).replace(tzinfo=dt.UTC).isoformat()
    fired = 0
    for task in workflow.event_manager.tasks.values():
        if isinstance(task.task_spec.event_definition, TimerEventDefinition):
            task._set_internal_data(event_value=past)
            fired += 1
    if not fired:
        raise InvalidState(_("this instance is not waiting for a timer"))
    history.record(session, instance.id, actor.username, "timer_fired", reason)
    workflow.refresh_timers()
    engine.run_after_repair(session, instance, workflow, actor)
    return instance


def requeue(session: Session, instance_id: int, actor: Actor, reason: str) -> None:
    """Queue a fresh 'advance' job for the instance (e.g. after a lost job)."""
    reason = _require_reason(reason)
    if session.get(ProcessInstance, instance_id) is None:
        raise NotFound(_("no instance %(id)s", id=instance_id))
    enqueue(session, instance_id, "advance")
    history.record(session, instance_id, actor.username, "requeued", reason)


def edit_data(session: Session, engine: ProcessEngine, instance_id: int, changes: dict, actor: Actor, reason: str):
    """Change process data on every open task (and the last completed one); the diff goes to history."""
    reason = _require_reason(reason)
    instance = engine.lock_instance(session, instance_id)
    if instance.status in ("completed", "terminated"):
        raise InvalidState(_("the instance is %(status)s; rewind it first", status=instance.status))
    workflow = engine.restore(instance)
    targets = workflow.get_tasks(state=TaskState.READY | TaskState.WAITING | TaskState.ERROR)
    if workflow.last_task is not None:
        targets.append(workflow.last_task)
    current = current_data(workflow)
    before = {key: current.get(key) for key in changes}
    for task in targets:
        task.data.update(changes)
    history.record(session, instance.id, actor.username, "data_edited", reason,
                   before=engine.serializer.data_to_json(before), after=engine.serializer.data_to_json(changes))
    engine.save(session, instance, workflow, status=instance.status)
    return instance


def skip_task(session: Session, engine: ProcessEngine, instance_id: int, task_id: str, actor: Actor, reason: str):
    """Mark a READY or failed task done without running it, and run on."""
    reason = _require_reason(reason)
    instance = engine.lock_instance(session, instance_id)
    workflow = engine.restore(instance)
    task = _task(workflow, task_id)
    if task is None or not task.has_state(TaskState.READY | TaskState.ERROR):
        raise InvalidState(_("only a ready or failed task can be skipped"))
    task.complete()
    instance.error_task = instance.error_message = instance.error_traceback = None
    history.record(session, instance.id, actor.username, "task_skipped", reason, task=task)
    engine.run_after_repair(session, instance, workflow, actor)
    return instance


def complete_by_hand(session: Session, engine: ProcessEngine, task_id: str, data: dict, actor: Actor, reason: str):
    """Complete a user task on someone's behalf (no lane check), with the given data."""
    reason = _require_reason(reason)
    instance = engine.complete(session, task_id, data, actor, override=True)
    history.record(session, instance.id, actor.username, "completed_by_hand", reason)
    return instance


def send_message(session: Session, engine: ProcessEngine, instance_id: int, name: str, payload: dict,
                 actor: Actor, reason: str):
    """Deliver a BPMN message (by name) to a waiting instance."""
    reason = _require_reason(reason)
    instance = engine.lock_instance(session, instance_id)
    workflow = engine.restore(instance)
    try:
        workflow.send_event(BpmnEvent(MessageEventDefinition(name), payload))
    except WorkflowException as exc:
        raise InvalidState(str(exc)) from None
    history.record(session, instance.id, actor.username, "message_sent", f"{name}: {reason}",
                   after=engine.serializer.data_to_json(payload))
    engine.run_after_repair(session, instance, workflow, actor)
    return instance
