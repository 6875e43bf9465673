"""The process engine service: start instances, complete and claim tasks, advance in jobs.

Every public method takes an open SQLAlchemy session and only flushes; the caller commits. The pieces live next
door: who acts (:mod:`engine.actors`), versions (:mod:`engine.versions`), saving a step (:mod:`engine.step_save`),
a failed step (:mod:`engine.failures`), task rows' holders (:mod:`engine.task_claims`).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import time
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any
from uuid import UUID

from SpiffWorkflow.util.task import TaskState
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, contains_eager, undefer
from sqlalchemy.orm.util import identity_key

from i18n import _

from . import history, task_claims
from .actors import SYSTEM, Actor
from .deployment import Check, DeployResult, deploy
from .errors import Conflict, Forbidden, InvalidState, NotFound
from .failures import record_error
from .metrics import ENGINE_STEP_SECONDS
from .models import HumanTask, ProcessInstance, ProcessVersion, utcnow
from .outbox import enqueue
from .riders import Rider
from .sandbox import SandboxedEnvironment, ScriptLimits
from .serializer import StateSerializer
from .services import HandlerContext, HandlerRegistry
from .state import current_data
from .step_save import Step, StepListener, StepSaver, TaskListener, insert_instance, int_or_none, write_events
from .task_mirror import AssigneeResolver, ready_user_tasks, usernames_as_given
from .versions import LoadedVersion, LoadedVersions, latest_version
from .workflow import PlatformScriptEngine, PlatformWorkflow

__all__ = ["SYSTEM", "Actor", "ProcessEngine", "current_data"]


class _Deferred(Exception):
    """Raised to stop engine steps at a background service task."""


_LOCK_TASK = (
    select(HumanTask).join(HumanTask.instance).where(HumanTask.id == bindparam("task_id"))
    .options(contains_eager(HumanTask.instance).undefer(ProcessInstance.state))
    .with_for_update(of=ProcessInstance).execution_options(populate_existing=True)
)
"""Built once: building costs more than running from SQLAlchemy's cache."""


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
        self.environment = SandboxedEnvironment(script_limits)
        self.versions = LoadedVersions(self.serializer)
        self.saver = StepSaver(self.serializer, assignee_resolver, list(riders), list(task_listeners),
                               list(step_listeners))
        self.task_listeners = self.saver.task_listeners
        self.step_listeners = self.saver.step_listeners
        self.riders = self.saver.riders

    # -- versions ---------------------------------------------------------------------------
    def deploy(self, session: Session, files: dict[str, bytes], user: str, comment: str = "") -> list[DeployResult]:
        """Deploy BPMN/DMN files; see :func:`engine.deployment.deploy`."""
        return deploy(session, self.serializer, files, user, self.max_bpmn_bytes, self.deploy_checks, comment)

    def latest_version(self, session: Session, process_key: str) -> ProcessVersion:
        """The newest version of a process (its large columns not loaded), or :class:`NotFound`."""
        return latest_version(session, process_key)

    def load_version(self, version: ProcessVersion) -> LoadedVersion:
        """Deserialize a version's specs once per process lifetime (keyed by version id)."""
        return self.versions.load(version)

    # -- instances --------------------------------------------------------------------------
    def start(self, session: Session, process_key: str, data: Mapping[str, Any], actor: Actor,
              *, version: ProcessVersion | None = None) -> ProcessInstance:
        """Create an instance of the newest version and run it up to its first wait.

        ``version``: the newest version as the caller read it in this transaction (saves reading it again).
        """
        version = version or latest_version(session, process_key)
        loaded = self.versions.load(version)
        if loaded.start_role and loaded.start_role not in actor.roles and not actor.is_admin:
            raise Forbidden(_("starting %(process)r needs the role %(role)r", process=version.name,
                                  role=loaded.start_role))
        workflow = PlatformWorkflow(loaded.spec, loaded.subprocess_specs)
        start_task = workflow.get_tasks(state=TaskState.READY)[0]
        start_task.data.update(copy.deepcopy(dict(data)))
        now = utcnow()
        values = {
            "version_id": version.id, "process_key": process_key, "title": version.name, "status": "running",
            "waiting_on": "", "state": "", "lock_version": 1, "customer_id": int_or_none(data.get("customer_id")),
            "started_by": actor.username, "started_at": now, "updated_at": now, "completed_at": None,
            "next_timer_at": None, "error_task": None, "error_message": None, "error_traceback": None,
        }
        instance = ProcessInstance(version=version, **values)  # its row comes with the step's write, on PostgreSQL
        step = Step(ready_before=set(), new_instance=values)
        step.events.append(history.event_values(
            instance.id, actor.username, "started", after=self.serializer.data_to_json(dict(data))))
        self._run(session, instance, workflow, loaded, actor, step, in_job=False)
        return instance

    def restore(self, instance: ProcessInstance) -> PlatformWorkflow:
        """The instance's workflow object, rebuilt from its saved state and version."""
        loaded = self.versions.of_instance(instance)
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
        return task_claims.get_task(session, task_id)

    def check_can_work_on(self, row: HumanTask, actor: Actor) -> None:
        """Raise :class:`Forbidden` unless the actor holds the task's role and it is not someone else's."""
        task_claims.check_can_work_on(row, actor)

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
            task_claims.check_can_work_on(row, actor)
        task_claims.require_ready(row)
        if instance.status in ("suspended", "terminated"):
            raise InvalidState(_("the process is %(status)s", status=instance.status))
        if workflow is None:
            workflow = self.restore(instance)
        task = workflow.get_task_from_id(UUID(task_id))
        if task is None or task.state != TaskState.READY:
            session.refresh(row)  # completed while we waited for the lock: say by whom
            task_claims.require_ready(row)
            raise Conflict(_("this task was already completed"))
        step = Step(ready_before=_ready_ids(workflow) - {task_id}, done=row,
                    done_values={"status": "completed", "completed_by": actor.username, "completed_at": utcnow()})
        before = {k: task.data.get(k) for k in data}
        task.set_data(**copy.deepcopy(dict(data)))
        task.run()
        step.events.append(history.event_values(
            instance.id, actor.username, "task_completed", task=row,
            before=self.serializer.data_to_json(before), after=self.serializer.data_to_json(dict(data)),
        ))
        self._run(session, instance, workflow, self.versions.of_instance(instance), actor, step, in_job=False)
        return instance

    def claim(self, session: Session, task_id: str, actor: Actor, *, override: bool = False) -> HumanTask:
        """See :func:`engine.task_claims.claim`."""
        return task_claims.claim(session, task_id, actor, override=override)

    def unclaim(self, session: Session, task_id: str, actor: Actor, *, override: bool = False) -> HumanTask:
        """See :func:`engine.task_claims.unclaim`."""
        return task_claims.unclaim(session, task_id, actor, override=override)

    def assign(
        self, session: Session, task_id: str, assignee: str, assignee_roles: Iterable[str], actor: Actor,
        *, override: bool = False,
    ) -> HumanTask:
        """See :func:`engine.task_claims.assign`."""
        return task_claims.assign(session, task_id, assignee, assignee_roles, actor, override=override)

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
        step = Step(ready_before=_ready_ids(workflow))
        if retry:
            for task in workflow.get_tasks(state=TaskState.ERROR):
                workflow.reset_from_task_id(task.id)
            step.ready_before = None  # a reset may bring back tasks that had rows: read them
            instance.error_task = instance.error_message = instance.error_traceback = None
        workflow.refresh_timers()
        self._run(session, instance, workflow, self.versions.of_instance(instance), actor, step, in_job=True)
        return instance

    def run_after_repair(self, session: Session, instance: ProcessInstance, workflow, actor: Actor) -> None:
        """Run engine steps after an admin changed the workflow (rewind, resume, fire timer)."""
        instance.status = "running"
        self._run(session, instance, workflow, self.versions.of_instance(instance), actor, Step(ready_before=None),
                  in_job=False)

    def save(self, session: Session, instance: ProcessInstance, workflow, *, status: str) -> None:
        """Save a workflow with a status decided by the caller (terminate, data edit), mirroring its tasks."""
        values = {"status": status, "next_timer_at": None, "waiting_on": "", "updated_at": utcnow()}
        self.saver.write(session, instance, workflow, self.versions.of_instance(instance), Step(ready_before=None),
                         values)

    # -- internals --------------------------------------------------------------------------
    def _run(self, session, instance, workflow, loaded, actor, step: Step, *, in_job) -> None:
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
            record_error(session, instance, actor, exc, step)
        self.saver.save_run(session, instance, workflow, loaded, step, deferred=deferred, failed=failed)
        if deferred:
            enqueue(session, instance.id, "advance")
        ENGINE_STEP_SECONDS.labels(instance.process_key, "job" if in_job else "request").observe(
            time.perf_counter() - began)

    def _is_background(self, task) -> bool:
        name = getattr(task.task_spec, "operation_name", None)
        operation = self.registry.get(name) if name else None
        return bool(operation and operation.background)

    def _service_caller(self, session, instance, actor, step: Step):
        def call(task, operation_name: str, params: dict) -> str:
            operation = self.registry.get(operation_name)
            if operation is None:
                raise LookupError(f"no handler is registered for operation {operation_name!r}")
            insert_instance(session, instance, step)  # the handler's rows may refer to it
            write_events(session, step)  # the history so far comes before the handler's rows
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


def _ready_ids(workflow) -> set[str]:
    return {str(task.id) for task in ready_user_tasks(workflow)}


def _json_default(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)
