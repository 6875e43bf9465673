"""The process engine service: start instances, complete and claim tasks, advance in jobs.

Every public method takes an open SQLAlchemy session and only flushes; the caller commits.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import time
import traceback
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any
from uuid import UUID

from SpiffWorkflow.util.task import TaskState
from sqlalchemy import bindparam, insert, select
from sqlalchemy.orm import Session, contains_eager, undefer
from sqlalchemy.orm.util import identity_key

from i18n import _

from . import history
from .deployment import Check, DeployResult, deploy
from .errors import Conflict, Forbidden, InvalidState, NotFound, ScriptLimitExceeded
from .metrics import ENGINE_STEP_SECONDS
from .models import HumanTask, InstanceEvent, ProcessInstance, ProcessVersion, utcnow
from .outbox import enqueue
from .parser import TaskMeta, role_key
from .riders import Rider
from .sandbox import SandboxedEnvironment, ScriptLimits
from .serializer import StateSerializer
from .services import HandlerContext, HandlerRegistry
from .state import current_data, next_timer, waiting_on
from .step_writer import (
    NewRows,
    SetValues,
    attach_written,
    insert_together,
    mark_written,
    write_one,
    write_together,
)
from .task_mirror import AssigneeResolver, ready_user_tasks, sync_tasks, usernames_as_given
from .workflow import PlatformScriptEngine, PlatformWorkflow

RETRY_BACKOFF_SECONDS = (5, 30, 120)

TaskListener = Callable[[Session, HumanTask], None]
StepListener = Callable[[Session, ProcessInstance, list[dict]], None]
"""Told, in the same transaction, the history rows (``event_values`` dicts) a step of an instance wrote."""
"""Called in the saving transaction for every user task that became READY (e.g. notifications)."""


@dataclass(frozen=True)
class Actor:
    """Who acts: a username and the role keys they hold."""

    username: str
    roles: frozenset[str] = frozenset()

    @property
    def is_admin(self) -> bool:
        return "administrator" in self.roles


SYSTEM = Actor("system", frozenset({"administrator"}))


@dataclass(frozen=True)
class LoadedVersion:
    """A version's deserialized specs and task metadata (a version never changes, so cached per process)."""

    version_id: int
    spec: Any
    subprocess_specs: dict
    tasks: dict[str, TaskMeta]
    start_role: str | None


class _Deferred(Exception):
    """Raised to stop engine steps at a background service task."""


@dataclass
class _Step:
    """What one engine step writes besides the instance: history rows, and the task row it completed."""

    ready_before: set[str] | None
    events: list[dict] = field(default_factory=list)
    done: HumanTask | None = None
    done_values: dict = field(default_factory=dict)
    new_instance: dict[str, Any] | None = None
    """A started instance's first column values while its row is not written yet (see :meth:`ProcessEngine.start`)."""


_LOCK_TASK = (
    select(HumanTask).join(HumanTask.instance).where(HumanTask.id == bindparam("task_id"))
    .options(contains_eager(HumanTask.instance).undefer(ProcessInstance.state))
    .with_for_update(of=ProcessInstance).execution_options(populate_existing=True)
)
_LATEST_VERSION = (
    select(ProcessVersion).where(ProcessVersion.process_key == bindparam("process_key"))
    .order_by(ProcessVersion.version.desc()).limit(1)
)
_INSERT_INSTANCE = insert(ProcessInstance.__table__).returning(ProcessInstance.id)
"""Statements of the hot path, built once: building costs more than running from SQLAlchemy's cache."""


class ProcessEngine:
    """Runs SpiffWorkflow instances persisted in the database."""

    def __init__(
        self,
        registry: HandlerRegistry,
        serializer: StateSerializer | None = None,
        max_bpmn_bytes: int = 5 * 1024 * 1024,
        deploy_checks: Iterable[Check] = (),
        task_listeners: Iterable[TaskListener] = (),
        step_listeners: Iterable[StepListener] = (),
        assignee_resolver: AssigneeResolver = usernames_as_given,
        script_limits: ScriptLimits | None = None,
        riders: Iterable[Rider] = (),
    ):
        self.registry = registry
        self.serializer = serializer or StateSerializer()
        self.max_bpmn_bytes = max_bpmn_bytes
        self.deploy_checks = list(deploy_checks)
        self.task_listeners = list(task_listeners)
        self.step_listeners = list(step_listeners)
        self.assignee_resolver = assignee_resolver
        self.environment = SandboxedEnvironment(script_limits)
        self.riders = list(riders)
        self._loaded: dict[int, LoadedVersion] = {}

    # -- versions ---------------------------------------------------------------------------
    def deploy(self, session: Session, files: dict[str, bytes], user: str, comment: str = "") -> list[DeployResult]:
        """Deploy BPMN/DMN files; see :func:`engine.deployment.deploy`."""
        return deploy(session, self.serializer, files, user, self.max_bpmn_bytes, self.deploy_checks, comment)

    def latest_version(self, session: Session, process_key: str) -> ProcessVersion:
        """The newest version of a process (its large columns not loaded), or :class:`NotFound`."""
        version = session.scalars(_LATEST_VERSION, {"process_key": process_key}).first()
        if version is None:
            raise NotFound(_("no process %(key)r is deployed", key=process_key))
        return version

    def load_version(self, version: ProcessVersion) -> LoadedVersion:
        """Deserialize a version's specs once per process lifetime (keyed by version id)."""
        loaded = self._loaded.get(version.id)
        if loaded is None:
            spec, subprocess_specs = self.serializer.load_specs(version.spec_json)
            tasks = {k: TaskMeta(**v) for k, v in json.loads(version.task_meta).items()}
            loaded = LoadedVersion(version.id, spec, subprocess_specs, tasks, _start_role(spec, tasks))
            self._loaded[version.id] = loaded
        return loaded

    def _loaded_for(self, instance: ProcessInstance) -> LoadedVersion:
        """The instance's version, loaded; its row is read only when it is not cached yet."""
        return self._loaded.get(instance.version_id) or self.load_version(instance.version)

    # -- instances --------------------------------------------------------------------------
    def start(self, session: Session, process_key: str, data: Mapping[str, Any], actor: Actor,
              *, version: ProcessVersion | None = None) -> ProcessInstance:
        """Create an instance of the newest version and run it up to its first wait.

        ``version``: the newest version as the caller read it in this transaction (saves reading it again).
        """
        version = version or self.latest_version(session, process_key)
        loaded = self.load_version(version)
        if loaded.start_role and loaded.start_role not in actor.roles and not actor.is_admin:
            raise Forbidden(_("starting %(process)r needs the role %(role)r", process=version.name,
                                  role=loaded.start_role))
        workflow = PlatformWorkflow(loaded.spec, loaded.subprocess_specs)
        start_task = workflow.get_tasks(state=TaskState.READY)[0]
        start_task.data.update(copy.deepcopy(dict(data)))
        now = utcnow()
        values = {
            "version_id": version.id, "process_key": process_key, "title": version.name, "status": "running",
            "waiting_on": "", "state": "", "lock_version": 1, "customer_id": _int_or_none(data.get("customer_id")),
            "started_by": actor.username, "started_at": now, "updated_at": now, "completed_at": None,
            "next_timer_at": None, "error_task": None, "error_message": None, "error_traceback": None,
        }
        instance = ProcessInstance(version=version, **values)  # its row comes with the step's write, on PostgreSQL
        step = _Step(ready_before=set(), new_instance=values)
        step.events.append(history.event_values(
            instance.id, actor.username, "started", after=self.serializer.data_to_json(dict(data))))
        self._run(session, instance, workflow, loaded, actor, step, in_job=False)
        return instance

    def restore(self, instance: ProcessInstance) -> PlatformWorkflow:
        """The instance's workflow object, rebuilt from its saved state and version."""
        loaded = self._loaded_for(instance)
        return self.serializer.load_state(instance.state, loaded.spec, loaded.subprocess_specs)

    def lock_instance(self, session: Session, instance_id: int) -> ProcessInstance:
        """Load an instance with its state, holding its row lock (PostgreSQL) for the rest of the transaction.

        A copy loaded earlier in this session is expired first: after waiting for the lock, the row may
        carry a newer lock version, which is the point of waiting, not an error.
        """
        loaded = session.identity_map.get(identity_key(ProcessInstance, instance_id))
        if loaded is not None:
            session.expire(loaded)
        instance = session.get(
            ProcessInstance, instance_id, with_for_update={"of": ProcessInstance}, populate_existing=True,
            options=[undefer(ProcessInstance.state)],
        )
        if instance is None:
            raise NotFound(_("no instance %(id)s", id=instance_id))
        return instance

    def lock_task(self, session: Session, task_id: str) -> tuple[HumanTask, ProcessInstance]:
        """A task row and its instance (with state), the instance row locked, in one statement.

        The task row may be a moment older than the instance under the lock: the instance's state,
        not the row, decides whether the task is still READY.
        """
        row = session.scalars(_LOCK_TASK, {"task_id": task_id}).first()
        if row is None:
            raise NotFound(_("no task %(id)s", id=task_id))
        return row, row.instance

    def get_task(self, session: Session, task_id: str) -> HumanTask:
        """A task row, or :class:`NotFound`."""
        row = session.get(HumanTask, task_id)
        if row is None:
            raise NotFound(_("no task %(id)s", id=task_id))
        return row

    def check_can_work_on(self, row: HumanTask, actor: Actor) -> None:
        """Raise :class:`Forbidden` unless the actor holds the task's role and it is not someone else's."""
        if row.role and row.role not in actor.roles:
            raise Forbidden(_("this task belongs to the %(lane)s lane", lane=row.lane or row.role))
        if row.assignee and row.assignee != actor.username:
            raise Forbidden(_("this task is assigned to %(user)s", user=row.assignee))

    def complete(
        self, session: Session, task_id: str, data: Mapping[str, Any], actor: Actor, *, override: bool = False,
        locked: tuple[HumanTask, ProcessInstance] | None = None, workflow: PlatformWorkflow | None = None,
    ) -> ProcessInstance:
        """Apply ``data`` to a READY user task, complete it and run the engine on.

        ``override`` (admin console) skips the role check. ``locked``: what :meth:`lock_task` returned for this
        task earlier in the same transaction (the lock is held; it is not read again). ``workflow``: what
        :meth:`restore` rebuilt from that locked instance, unchanged (not restored again; the step runs on it).
        Raises :class:`Conflict` when the task is no longer READY or another writer saved the instance first.
        """
        row, instance = locked or self.lock_task(session, task_id)
        if not override:
            self.check_can_work_on(row, actor)
        self._require_ready(row)
        if instance.status in ("suspended", "terminated"):
            raise InvalidState(_("the process is %(status)s", status=instance.status))
        if workflow is None:
            workflow = self.restore(instance)
        task = workflow.get_task_from_id(UUID(task_id))
        if task is None or task.state != TaskState.READY:
            session.refresh(row)  # completed while we waited for the lock: say by whom
            self._require_ready(row)
            raise Conflict(_("this task was already completed"))
        step = _Step(ready_before=_ready_ids(workflow) - {task_id}, done=row,
                     done_values={"status": "completed", "completed_by": actor.username, "completed_at": utcnow()})
        before = {k: task.data.get(k) for k in data}
        task.set_data(**copy.deepcopy(dict(data)))
        task.run()
        step.events.append(history.event_values(
            instance.id, actor.username, "task_completed", task=row,
            before=self.serializer.data_to_json(before), after=self.serializer.data_to_json(dict(data)),
        ))
        self._run(session, instance, workflow, self._loaded_for(instance), actor, step, in_job=False)
        return instance

    def claim(self, session: Session, task_id: str, actor: Actor, *, override: bool = False) -> HumanTask:
        """Assign a queued task to the actor; a task claimed by someone else is a conflict.

        ``override`` (the caller decided the actor may take the task back, e.g. its customer's owner) skips the
        conflict, not the lane check.
        """
        row = self.get_task(session, task_id)
        if row.role and row.role not in actor.roles:
            raise Forbidden(_("this task belongs to the %(lane)s lane", lane=row.lane or row.role))
        self._require_ready(row)
        if row.assignee and row.assignee != actor.username and not override:
            raise Conflict(_("already claimed by %(user)s", user=row.assignee))
        row.assignee = actor.username
        history.record(session, row.instance_id, actor.username, "claimed", task=row)
        return row

    def unclaim(self, session: Session, task_id: str, actor: Actor, *, override: bool = False) -> HumanTask:
        """Put a claimed task back in its lane's queue (the assignee, an admin, or with ``override``)."""
        row = self.get_task(session, task_id)
        if row.assignee != actor.username and not actor.is_admin and not override:
            raise Forbidden(_("only the assignee can release this task"))
        self._require_ready(row)
        row.assignee = None
        history.record(session, row.instance_id, actor.username, "unclaimed", task=row)
        return row

    def assign(
        self, session: Session, task_id: str, assignee: str, assignee_roles: Iterable[str], actor: Actor,
        *, override: bool = False,
    ) -> HumanTask:
        """Hand a task to a colleague holding the task's role (``override``: even if someone else holds it)."""
        row = self.get_task(session, task_id)
        self._require_ready(row)
        taken = row.assignee not in (None, actor.username) and not override
        if not actor.is_admin and (taken or row.role not in actor.roles):
            raise Forbidden(_("you can only hand over tasks of your own lanes that are not someone else's"))
        if row.role and row.role not in set(assignee_roles):
            raise InvalidState(_("%(user)s does not hold the role %(role)r", user=assignee, role=row.role))
        row.assignee = assignee
        history.record(session, row.instance_id, actor.username, "assigned", f"handed to {assignee}", task=row)
        return row

    def advance(
        self, session: Session, instance_id: int, actor: Actor = SYSTEM, *, retry: bool = False
    ) -> ProcessInstance:
        """Fire due timers and run every ready engine task, background services included (job entry).

        ``retry`` runs failed tasks again; the caller writes the ``retried`` history row (a retry job
        writes it once per attempt, see :func:`engine.history.record_once`).
        """
        instance = self.lock_instance(session, instance_id)
        if instance.status in ("completed", "terminated", "suspended"):
            return instance
        if instance.status == "error" and not retry:
            return instance
        workflow = self.restore(instance)
        step = _Step(ready_before=_ready_ids(workflow))
        if retry:
            for task in workflow.get_tasks(state=TaskState.ERROR):
                workflow.reset_from_task_id(task.id)
            step.ready_before = None  # a reset may bring back tasks that had rows: read them
            instance.error_task = instance.error_message = instance.error_traceback = None
        workflow.refresh_timers()
        self._run(session, instance, workflow, self._loaded_for(instance), actor, step, in_job=True)
        return instance

    def run_after_repair(self, session: Session, instance: ProcessInstance, workflow, actor: Actor) -> None:
        """Run engine steps after an admin changed the workflow (rewind, resume, fire timer)."""
        instance.status = "running"
        self._run(session, instance, workflow, self._loaded_for(instance), actor, _Step(ready_before=None),
                  in_job=False)

    def save(self, session: Session, instance: ProcessInstance, workflow, *, status: str) -> None:
        """Save a workflow with a status decided by the caller (terminate, data edit), mirroring its tasks."""
        values = {"status": status, "next_timer_at": None, "waiting_on": "", "updated_at": utcnow()}
        self._write(session, instance, workflow, self._loaded_for(instance), _Step(ready_before=None), values)

    # -- internals --------------------------------------------------------------------------
    @staticmethod
    def _require_ready(row: HumanTask) -> None:
        if row.status != "ready":
            if row.completed_by:
                raise Conflict(_("this task was already %(status)s by %(user)s", status=row.status,
                                 user=row.completed_by))
            raise Conflict(_("this task was already %(status)s", status=row.status))

    def _run(self, session, instance, workflow, loaded, actor, step: _Step, *, in_job) -> None:
        """Run engine steps, then save state, mirror tasks and set status, all in this transaction."""
        workflow.script_engine = PlatformScriptEngine(
            self.environment, service_caller=self._service_caller(session, instance, actor, step)
        )

        def stop_at_background_service(task):
            if not in_job and self._is_background(task):
                raise _Deferred()

        deferred = failed = False
        began = time.perf_counter()
        try:
            workflow.do_engine_steps(will_complete_task=stop_at_background_service)
        except _Deferred:
            deferred = True
            workflow.refresh_timers()
        except Exception as exc:  # a script or handler failed: keep what is done, mark the error
            failed = True
            self._record_error(session, instance, actor, exc, step)
        self._save(session, instance, workflow, loaded, step, deferred=deferred, failed=failed)
        if deferred:
            enqueue(session, instance.id, "advance")
        ENGINE_STEP_SECONDS.labels(instance.process_key, "job" if in_job else "request").observe(
            time.perf_counter() - began)

    def _is_background(self, task) -> bool:
        name = getattr(task.task_spec, "operation_name", None)
        operation = self.registry.get(name) if name else None
        return bool(operation and operation.background)

    def _service_caller(self, session, instance, actor, step: _Step):
        def call(task, operation_name: str, params: dict) -> str:
            operation = self.registry.get(operation_name)
            if operation is None:
                raise LookupError(f"no handler is registered for operation {operation_name!r}")
            _insert_instance(session, instance, step)  # the handler's rows may refer to it
            _write_events(session, step)  # the history so far comes before the handler's rows
            context = HandlerContext(
                instance_id=instance.id, process_key=instance.process_key, task_name=task.task_spec.name,
                data=MappingProxyType(copy.deepcopy(task.data)), session=session, actor=actor.username,
                services=self.registry.services,
            )
            with session.begin_nested():
                result = operation.func(context, **params)
            history.record(session, instance.id, actor.username, "service_called", operation_name, task=task)
            return json.dumps(result, default=_json_default)

        return call

    def _record_error(self, session, instance, actor, exc: Exception, step: _Step) -> None:
        _insert_instance(session, instance, step)  # the retry job names it
        task = getattr(exc, "task", None)
        instance.error_task = task.task_spec.name if task is not None else None
        instance.error_message = _error_message(exc, task)
        instance.error_traceback = "".join(traceback.format_exception(exc))
        attempt = session.info.get("retry_attempt", 0)
        step.events.append(history.event_values(instance.id, actor.username, "error", instance.error_message,
                                                task=task))
        if attempt < len(RETRY_BACKOFF_SECONDS):
            enqueue(
                session, instance.id, "retry", {"attempt": attempt + 1},
                delay=dt.timedelta(seconds=RETRY_BACKOFF_SECONDS[attempt]),
            )

    def _save(self, session, instance, workflow, loaded, step: _Step, *, deferred, failed) -> None:
        """Decide the instance's status and write the step."""
        now = utcnow()
        values: dict[str, Any] = {"updated_at": now, "completed_at": instance.completed_at}
        if failed:
            values["status"] = "error"
        elif workflow.is_completed():
            values["status"], values["completed_at"] = "completed", now
            step.events.append(history.event_values(instance.id, "system", "completed"))
        elif deferred or ready_user_tasks(workflow):
            values["status"] = "running"
        else:
            values["status"] = "waiting"
        values["next_timer_at"] = next_timer(workflow)
        values["waiting_on"] = waiting_on(workflow) if values["status"] == "waiting" else ""
        values["customer_id"] = _int_or_none(current_data(workflow).get("customer_id")) or instance.customer_id
        self._write(session, instance, workflow, loaded, step, values)

    def _write(self, session, instance, workflow, loaded, step: _Step, values: dict[str, Any]) -> None:
        """Write state, task rows and history in one go (see :mod:`engine.step_writer`), then tell listeners.

        A started instance's row is inserted by the same statement on PostgreSQL (its task and history rows take
        its new id there); elsewhere first, on its own.
        """
        if step.new_instance is not None and session.get_bind().dialect.name != "postgresql":
            _insert_instance(session, instance, step)
        if session.new or session.dirty:
            session.flush()  # handlers' rows, an admin's or a retry's edits: written first, in order
        changes = sync_tasks(session, instance, workflow, loaded.tasks, step.ready_before,
                             values.get("customer_id", instance.customer_id), self.assignee_resolver)
        step.events.extend(history.event_values(instance.id, "system", "assignment", message, task=task)
                           for task, message in changes.notes)
        values["state"] = self.serializer.dump_state(workflow)
        values["lock_version"] = instance.lock_version + 1
        writes = list(changes.writes)
        if step.done is not None:
            writes.append(SetValues(HumanTask.__table__, step.done_values, {"id": step.done.id}))
        if step.events:
            writes.append(NewRows(InstanceEvent.__table__, step.events))
        params: dict[str, Any] = {}
        for rider in self.riders:
            params.update(rider.params(changes.new_rows))
        answers = [rider.column for rider in self.riders]
        new, step.new_instance = step.new_instance, None
        if new is not None:
            new_row = NewRows(ProcessInstance.__table__, [{**new, **values}])
            written = insert_together(session, new_row, writes, "instance_id", answers, params)
            instance.id = written.answers["id"]
        else:
            save_instance = SetValues(ProcessInstance.__table__, values,
                                      {"id": instance.id, "lock_version": instance.lock_version})
            written = write_together(session, writes, save_instance, answers, params)
            if written.count != 1:
                raise Conflict(_("someone else changed this process at the same moment; reload and try again"))
        events = list(step.events)
        step.events.clear()
        if new is not None:
            for key, value in values.items():
                setattr(instance, key, value)
            attach_written(session, instance)
            for event in events:
                event["instance_id"] = instance.id
        else:
            mark_written(instance, values)
        if step.done is not None:
            mark_written(step.done, step.done_values)
        for row in changes.inserted:
            row.instance_id = instance.id
            attach_written(session, row)
        for rider in self.riders:
            rider.received(session, written.answers[rider.column.key], changes.new_rows)
        _expire_rows(session, changes.cancelled)
        for row in changes.new_rows:
            for listener in self.task_listeners:
                listener(session, row)
        for step_listener in self.step_listeners:
            step_listener(session, instance, events)



def _start_role(spec, tasks: dict[str, TaskMeta]) -> str | None:
    """The role of the lane the start event sits in, if the diagram has lanes (versions deployed before
    the start event had its own metadata: the key derived from the lane's name)."""
    start = spec.start.outputs[0] if spec.start.outputs else None
    if start is not None and start.name in tasks:
        return tasks[start.name].role
    lane = getattr(start, "lane", None)
    return role_key(lane) if lane else None


def _error_message(exc: Exception, task) -> str:
    """What the admin console shows; a stopped script names its element and the limit it exceeded."""
    cause: BaseException | None = exc
    while cause is not None and not isinstance(cause, ScriptLimitExceeded):
        cause = cause.__cause__ or cause.__context__
    if cause is None:
        return str(exc)
    if task is None:
        return str(cause)
    spec = task.task_spec
    kind = spec.__class__.__name__.removesuffix("Task").removesuffix("Event")
    label = f"{spec.bpmn_name!r} ({spec.name})" if spec.bpmn_name else spec.name
    return f"{kind} {label}: {cause}"


def _insert_instance(session: Session, instance: ProcessInstance, step: _Step) -> None:
    """Insert a started instance's row now, if not yet written (its id is needed before the step's write)."""
    if step.new_instance is None:
        return
    instance.id = session.execute(_INSERT_INSTANCE, step.new_instance).scalar_one()
    step.new_instance = None
    attach_written(session, instance)
    for event in step.events:
        event["instance_id"] = instance.id


def _write_events(session: Session, step: _Step) -> None:
    if step.events:
        write_one(session, NewRows(InstanceEvent.__table__, step.events))
        step.events.clear()


def _expire_rows(session: Session, task_ids: list[str]) -> None:
    """Forget loaded copies of task rows changed by hand (cancelled), so they are read again."""
    for task_id in task_ids:
        row = session.identity_map.get(identity_key(HumanTask, task_id))
        if row is not None:
            session.expire(row)


def _ready_ids(workflow) -> set[str]:
    return {str(task.id) for task in ready_user_tasks(workflow)}


def _int_or_none(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _json_default(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)
