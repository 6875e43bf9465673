"""Move running instances to a newer version of their process, where that is safe.

SpiffWorkflow aligns the instance's tasks with the new spec (``diff_workflow``) and swaps the specs
(``migrate_workflow``). An instance is refused when a task whose definition changed (in the spec, or in
the XML the platform reads: form, lane, due date) has already run or is running (completed, started, in
error), or when a task that was removed is anything but predicted:
its work would be silently redefined or lost. Waiting timers keep their due time when their
expression did not change.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from SpiffWorkflow.bpmn.util.diff import WorkflowDiff, diff_workflow, migrate_workflow
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select
from sqlalchemy.orm import Session

from i18n import _

from . import history
from .actors import Actor
from .errors import InvalidState
from .models import HumanTask, ProcessInstance, ProcessVersion
from .parser import TaskMeta
from .runtime import ProcessEngine
from .version_diff import diff_sources

UNFINISHED = ("running", "waiting", "error", "suspended")
CHANGED_BLOCKS = TaskState.COMPLETED | TaskState.STARTED | TaskState.ERROR
REMOVED_BLOCKS = CHANGED_BLOCKS | TaskState.READY | TaskState.WAITING


@dataclass
class MigrationCheck:
    """Whether one instance can move to the target version, and why not."""

    instance_id: int
    title: str
    from_version: int
    status: str
    reasons: list[str] = field(default_factory=list)

    @property
    def can_migrate(self) -> bool:
        return not self.reasons


@dataclass
class _Plan:
    check: MigrationCheck
    workflow: object = None
    diffs: dict = field(default_factory=dict)  # None -> top-level WorkflowDiff, subprocess id -> WorkflowDiff


def preview(engine: ProcessEngine, session: Session, target: ProcessVersion) -> list[MigrationCheck]:
    """Every unfinished instance of an older version of ``target``'s process, with its verdict."""
    instances = session.scalars(
        select(ProcessInstance).join(ProcessInstance.version)
        .where(ProcessInstance.process_key == target.process_key, ProcessInstance.status.in_(UNFINISHED),
               ProcessVersion.version < target.version)
        .order_by(ProcessInstance.id)
    )
    return [_plan(engine, instance, target).check for instance in instances]


def migrate(
    engine: ProcessEngine, session: Session, instance_id: int, target: ProcessVersion, actor: Actor
) -> ProcessInstance:
    """Lock, check again, migrate and save one instance; raise :class:`InvalidState` when refused."""
    instance = engine.lock_instance(session, instance_id)
    plan = _plan(engine, instance, target)
    if not plan.check.can_migrate:
        raise InvalidState(_("instance %(id)s cannot move to v%(version)s: %(reasons)s", id=instance_id,
                             version=target.version, reasons="; ".join(plan.check.reasons)))
    workflow, loaded = plan.workflow, engine.load_version(target)
    timers = _waiting_timers(workflow)
    for sp_id, diff in plan.diffs.items():
        if sp_id is None:
            migrate_workflow(diff, workflow, loaded.spec)
        else:
            subprocess = workflow.subprocesses[sp_id]
            migrate_workflow(diff, subprocess, loaded.subprocess_specs[subprocess.spec.name])
    workflow.subprocess_specs = loaded.subprocess_specs
    _restore_timers(workflow, timers)
    instance.version, instance.version_id = target, target.id
    _refresh_task_rows(session, instance, loaded.tasks)
    history.record(session, instance.id, actor.username, "migrated",
                   f"moved from v{plan.check.from_version} to v{target.version}")
    engine.run_after_repair(session, instance, workflow, actor)
    return instance


def _plan(engine: ProcessEngine, instance: ProcessInstance, target: ProcessVersion) -> _Plan:
    check = MigrationCheck(instance.id, instance.title, instance.version.version, instance.status)
    plan = _Plan(check)
    if target.process_key != instance.process_key:
        check.reasons.append(_("it runs %(key)r, not %(target)r", key=instance.process_key,
                               target=target.process_key))
    elif target.version <= instance.version.version:
        check.reasons.append(_("it already runs v%(version)s", version=instance.version.version))
    elif instance.status not in UNFINISHED:
        check.reasons.append(_("it is %(status)s", status=instance.status))
    elif instance.status in ("error", "suspended"):
        check.reasons.append(_("it is %(status)s: repair or resume it first", status=instance.status))
    if check.reasons:
        return plan
    loaded = engine.load_version(target)
    plan.workflow = engine.restore(instance)
    top, subprocess_diffs = diff_workflow(
        engine.serializer.registry, plan.workflow, loaded.spec, loaded.subprocess_specs)
    plan.diffs = {None: top}
    for sp_id, diff in subprocess_diffs.items():
        if diff is None:
            name = plan.workflow.subprocesses[sp_id].spec.name
            check.reasons.append(_("the running subprocess %(name)r no longer exists", name=name))
        else:
            plan.diffs[sp_id] = diff
    # Forms, lanes and due dates live in the XML, not in SpiffWorkflow's specs: compare both.
    xml_changed = {c.element for c in diff_sources(
        instance.version.source_xml, target.source_xml, target.process_key, engine.max_bpmn_bytes).changed}
    for diff in plan.diffs.values():
        check.reasons += _blocking(diff, xml_changed)
    return plan


def _blocking(diff: WorkflowDiff, xml_changed: set[str]) -> list[str]:
    reasons = []
    for task in diff.alignment:
        changed = task in diff.changed or task.task_spec.name in xml_changed
        if changed and task.state & CHANGED_BLOCKS:
            reasons.append(_("%(task)s was changed but is already %(state)s", task=_label(task), state=_state(task)))
    for task in diff.removed:
        if task.state & REMOVED_BLOCKS:
            reasons.append(_("%(task)s was removed but is %(state)s", task=_label(task), state=_state(task)))
    return reasons


def _state(task) -> str:
    return TaskState.get_name(task.state).lower()


def _label(task) -> str:
    spec = task.task_spec
    name = getattr(spec, "bpmn_name", None) or getattr(spec, "bpmn_id", None) or spec.name
    return f"“{name}”"


def _waiting_timers(workflow) -> dict[str, tuple]:
    """Due times of waiting timers, by task spec name (resetting a task would restart its timer)."""
    return {
        task.task_spec.name: (_timer_expression(task), task.internal_data["event_value"])
        for task in workflow.get_tasks(state=TaskState.WAITING) if "event_value" in task.internal_data
    }


def _restore_timers(workflow, timers: dict[str, tuple]) -> None:
    """Keep the due time of a waiting timer whose expression did not change."""
    for task in workflow.get_tasks(state=TaskState.WAITING):
        expression, due = timers.get(task.task_spec.name, (None, None))
        if due is not None and expression == _timer_expression(task):
            task.internal_data["event_value"] = due


def _timer_expression(task) -> str | None:
    return getattr(getattr(task.task_spec, "event_definition", None), "expression", None)


def _refresh_task_rows(session: Session, instance: ProcessInstance, meta: dict[str, TaskMeta]) -> None:
    """Open worklist rows take the new version's title, lane and priority (a new lane drops the assignee)."""
    rows = session.scalars(select(HumanTask).where(HumanTask.instance_id == instance.id, HumanTask.status == "ready"))
    for row in rows:
        info = meta.get(row.task_name)
        if info is None:
            continue
        if info.role != row.role:
            row.assignee = None
        row.title, row.lane, row.role = info.title, info.lane, info.role
        if info.priority_expression is None:  # a priority from the task data stays what it was evaluated to
            row.priority = info.priority
