"""Task and start-form use cases shared by the HTML pages and the JSON API."""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import Row, bindparam, inspect, select
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.util import identity_key

from crm import formatting
from crm.files import StoredFile
from crm.processes.worklist import TaskComment, comments_on
from engine.deployment import latest_versions
from engine.errors import Forbidden, NotFound, TaskDataInvalid
from engine.models import HumanTask, InstanceEvent, ProcessInstance, ProcessVersion
from engine.runtime import Actor, ProcessEngine, current_data
from engine.task_mirror import ready_user_tasks
from forms import FieldDefinition, FormDefinition, FormValidationError, Rule, initial_values, validate
from i18n import _
from services.processes import labels, lookups, outcomes, task_context, uploads
from services.processes import rules as task_rules
from services.processes.form_catalog import FormCatalog
from services.processes.scope import in_scope, owner_in_scope, owner_scope, scope_owner_id


@dataclass(frozen=True)
class Step:
    """An earlier step of the instance: who entered what, when (shown read-only)."""

    title: str
    actor: str
    at: dt.datetime
    values: list[tuple[str, Any]]


@dataclass
class TaskView:
    """Everything a task page or ``GET /api/tasks/{id}`` shows."""

    row: HumanTask
    instance: ProcessInstance
    form: FormDefinition | None
    data: dict[str, Any]
    initial: dict[str, Any]
    history: list[InstanceEvent] = field(default_factory=list)
    instructions: str = ""
    customer: str | None = None
    steps: list[Step] = field(default_factory=list)
    comments: list[TaskComment] = field(default_factory=list)
    done_elements: list[str] = field(default_factory=list)
    task_titles: dict[str, str] = field(default_factory=dict)
    context: dict | None = None
    """The record the task is about (:mod:`services.processes.task_context`), None when it declares none."""
    rules: list[Rule] = field(default_factory=list)


def visible_to(session: Session, row: HumanTask, actor: Actor) -> bool:
    """A task is visible to its assignee, administrators, and its lane's members within their data scope."""
    if actor.is_admin or row.assignee == actor.username:
        return True
    return (row.role is None or row.role in actor.roles) and in_scope(session, row, owner_scope(session, actor))


def _visible_with_owner(session: Session, row: HumanTask, actor: Actor, owner_id: int | None) -> bool:
    """:func:`visible_to`, the user deciding the scope read with the task (:func:`scope_owner_id`)."""
    if actor.is_admin or row.assignee == actor.username:
        return True
    return (row.role is None or row.role in actor.roles) and owner_in_scope(row, owner_scope(session, actor), owner_id)


_TASK = select(HumanTask, scope_owner_id()).where(HumanTask.id == bindparam("task_id"))
_TASK_WITH_STATE = _TASK.options(joinedload(HumanTask.instance).undefer(ProcessInstance.state))
"""A task with its instance (and the instance's saved state, to show the task), and the user deciding whether it
is in the reader's scope: one statement."""


def load_task(session: Session, engine: ProcessEngine, task_id: str, actor: Actor, *,
              with_state: bool = False) -> HumanTask:
    """A task the actor may see; others' tasks look like missing ones (404, not 403).

    ``with_state``: its instance's saved state too (to restore the workflow), in the same statement.
    """
    found = session.execute(_TASK_WITH_STATE if with_state else _TASK, {"task_id": task_id}).first()
    if found is None or not _visible_with_owner(session, found[0], actor, found[1]):
        raise NotFound(_("no such task, or it is not in your lanes"))
    return found[0]


def task_essentials(session: Session, engine: ProcessEngine, catalog: FormCatalog, task_id: str,
                    actor: Actor) -> TaskView:
    """What it takes to work on a task (all ``GET /api/tasks/{id}`` shows): the task, its form with initial values,
    the process data in context, its instructions, the record it is about and its rules; no history."""
    row = load_task(session, engine, task_id, actor, with_state=True)
    instance = row.instance
    workflow = engine.restore(instance)
    task = workflow.get_task_from_id(UUID(task_id))
    data = dict(task.data) if task is not None else dict(current_data(workflow))
    form = catalog.task_form(instance.version, row.task_name)
    meta = engine.load_version(instance.version).tasks.get(row.task_name)
    declared = catalog.declarations(instance.version, row.task_name)
    labels.show(session, [row])
    return TaskView(
        row=row, instance=instance, form=form, data=data,
        initial=initial_values(form, data) if form else {},
        instructions=labels.instructions(instance.version, row.task_name, meta.instructions) if meta else "",
        context=task_context.build_context(session, declared.context, data),
        rules=list(declared.rules),
    )


def task_view(session: Session, engine: ProcessEngine, catalog: FormCatalog, task_id: str, actor: Actor) -> TaskView:
    """The task page: :func:`task_essentials` with the instance's history, the earlier steps' values, the comments
    and the customer's name."""
    view = task_essentials(session, engine, catalog, task_id, actor)
    instance = view.instance
    history, titles = _history_and_titles(session, instance)
    view.history = history
    view.task_titles = titles
    view.done_elements = [e.task_name for e in history if e.kind in ("task_completed", "service_called")]
    view.steps = _steps(session, engine, catalog, instance, history, titles)
    view.customer = lookups.label(session, "customer", instance.customer_id) if instance.customer_id else None
    view.comments = comments_on(session, instance.id)
    return view


def _history_and_titles(session: Session, instance: ProcessInstance) -> tuple[list[InstanceEvent], dict[str, str]]:
    """The instance's history, oldest first, and the titles of the tasks it names (``{task id: title}``, in the
    request's language), in one statement."""
    rows = session.execute(_HISTORY_WITH_TITLES, {"instance_id": instance.id}).all()
    named = {(event.task_id, name, title) for event, name, title in rows if name is not None}
    return [event for event, _name, _title in rows], labels.titles(instance.version, named)


def _steps(session: Session, engine: ProcessEngine, catalog: FormCatalog, instance: ProcessInstance,
           history: list[InstanceEvent], titles: dict[str, str]) -> list[Step]:
    """The start data and every completed task's submitted values, labelled by their forms.

    The records they reference, and the instance's customer, are labelled with one statement per kind.
    """
    submitted = []
    for event in history:
        if event.kind not in ("started", "task_completed") or not event.data_after:
            continue
        values = engine.serializer.registry.restore(json.loads(event.data_after))
        if event.kind == "started":
            form, title = start_form(engine, catalog, instance.version), _("Started")
        else:
            form, title = catalog.task_form(instance.version, event.task_name), titles.get(event.task_id, "")
        fields = {f.id: f for f in form.fields} if form else {}
        submitted.append((event, title, form, fields, values))
    references = [(fields[k].reference, v) for *_before, fields, values in submitted for k, v in values.items()
                  if k in fields and fields[k].type == "reference"]
    lookups.prefetch_labels(session, [*references, ("customer", instance.customer_id)])
    steps = []
    for event, title, form, fields, values in submitted:
        shown = [(fields[k].label if k in fields else k, display_value(session, fields.get(k), v))
                 for k, v in values.items() if (not form or k in fields) and v not in (None, "", [])]
        steps.append(Step(title or event.task_name or "", event.actor, event.at, shown))
    return steps


def display_value(session: Session, field_def: FieldDefinition | None, value: Any) -> Any:
    """A submitted value for reading: labels for references and choices, numbers and dates through
    :mod:`crm.formatting` (never ``1E+12``); file values stay dicts."""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if field_def is not None and field_def.type == "reference":
        return f"{lookups.label(session, field_def.reference, value) or '?'} (#{value})"
    if field_def is not None and field_def.type in ("enum", "multi_enum"):
        options = dict(field_def.options)
        return ", ".join(options.get(v, v) for v in (value if isinstance(value, list) else [value]))
    if isinstance(value, dict) and "storage_key" in value:
        return value
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dt.datetime):
        return formatting.datetime(value)
    if isinstance(value, dt.date):
        return formatting.date(value)
    if isinstance(value, (Decimal, float)) or (isinstance(value, int) and field_def is not None
                                                and field_def.type == "decimal"):
        return formatting.number(value, places=2)
    return str(value)


HistoryRow = Row
"""A row of :func:`instance_history`: ``at, actor, kind, task_name, message, data_before, data_after``."""


def instance_history(session: Session, instance_id: int) -> Sequence[HistoryRow]:
    """History rows of an instance, oldest first: when, who, what, which task, the message and the data before and
    after (as stored, JSON text) — the columns an answer shows, not whole records."""
    return session.execute(_HISTORY, {"instance_id": instance_id}).all()


_HISTORY = (select(InstanceEvent.at, InstanceEvent.actor, InstanceEvent.kind, InstanceEvent.task_name,
                   InstanceEvent.message, InstanceEvent.data_before, InstanceEvent.data_after)
            .where(InstanceEvent.instance_id == bindparam("instance_id")).order_by(InstanceEvent.id))
_HISTORY_WITH_TITLES = (
    select(InstanceEvent, HumanTask.task_name, HumanTask.title)
    .outerjoin(HumanTask, HumanTask.id == InstanceEvent.task_id)
    .where(InstanceEvent.instance_id == bindparam("instance_id")).order_by(InstanceEvent.id)
)
"""Built once (every task page and API answer reads the history)."""


def validated(
    session: Session, form: FormDefinition | None, raw: Mapping[str, Any], context: Mapping[str, Any], actor: Actor
) -> dict:
    """Typed form data, or :class:`TaskDataInvalid` with per-field messages.

    References must be records the actor may pick (see :mod:`services.processes.lookups`); file values must name
    uploads the actor made (see :mod:`services.processes.uploads`).
    """
    if form is None:
        return {}
    scope = lookups.reference_scope(session, actor)
    try:
        values = validate(form, raw, context,
                          reference_problem=lambda kind, rid: lookups.problem(session, scope, kind, rid))
    except FormValidationError as exc:
        raise TaskDataInvalid(exc.errors) from None
    errors = {**lookups.contact_problems(session, form, values, context),
              **uploads.foreign_files(session, form, values, actor.username)}
    if errors:
        raise TaskDataInvalid(errors)
    return values


def complete_task(
    session: Session, engine: ProcessEngine, catalog: FormCatalog, task_id: str, raw: Mapping[str, Any], actor: Actor
) -> ProcessInstance:
    """Validate ``raw`` against the task's form and its cross-field rules, then complete the task.

    The task and its instance are read once, with the instance's row lock (held until the commit): the form is
    checked against the state the completion will run on.
    """
    try:
        locked = engine.lock_task(session, task_id)
    except NotFound:
        locked = None
    row = locked[0] if locked else None
    if row is None or not visible_to(session, row, actor):
        raise NotFound(_("no such task, or it is not in your lanes"))
    engine.check_can_work_on(row, actor)
    form = catalog.task_form(row.instance.version, row.task_name)
    declared = catalog.declarations(row.instance.version, row.task_name)
    workflow = engine.restore(row.instance) if form or declared.rules else None
    context = _task_data(workflow, row) if workflow is not None else {}
    values = validated(session, form, raw, context, actor)
    task_rules.check_rules(session, declared.rules, form, context, values, raw, actor, row.instance_id, row.title)
    instance = engine.complete(session, task_id, values, actor, locked=locked, workflow=workflow)
    uploads.attach_to_instance(session, form, values, instance.id)
    return instance


def _task_data(workflow, row: HumanTask) -> dict:
    """The data the READY task sees (a called process's task sees its own), else the instance's current data
    (a deep copy: the form's checks read it and the completion then runs on ``workflow``)."""
    task = workflow.get_task_from_id(UUID(row.id))
    return copy.deepcopy(dict(task.data) if task is not None else dict(current_data(workflow)))


def start_form(engine: ProcessEngine, catalog: FormCatalog, version: ProcessVersion) -> FormDefinition | None:
    """The start form of a version, if its start event declares one."""
    return catalog.start_form(version, engine.load_version(version).spec)


def startable_versions(session: Session, engine: ProcessEngine, catalog: FormCatalog, actor: Actor
                       ) -> list[ProcessVersion]:
    """The newest versions ``actor`` may start by hand, by name: their start event's lane is one of the actor's
    roles (or the diagram has no lanes, or the actor is an administrator) and people may start them at all."""
    result = []
    for version in sorted(latest_versions(session).values(), key=lambda v: v.name):
        role = engine.load_version(version).start_role
        if (role is None or role in actor.roles or actor.is_admin) and not catalog.started_by_system(version):
            result.append(version)
    return result


def refuse_system_started(catalog: FormCatalog, version: ProcessVersion) -> None:
    """Raise :class:`Forbidden` when only the platform starts ``version``'s process (``started_by = system``)."""
    if catalog.started_by_system(version):
        raise Forbidden(_("%(process)s is started by the system, not by hand", process=version.name))


def start_process(
    session: Session, engine: ProcessEngine, catalog: FormCatalog, process_key: str, raw: Mapping[str, Any],
    actor: Actor,
) -> ProcessInstance:
    """Validate the start form (if any) and start the newest version of a process."""
    version = engine.latest_version(session, process_key)
    refuse_system_started(catalog, version)
    form = start_form(engine, catalog, version)
    data = validated(session, form, raw, {}, actor) if form else dict(raw)
    instance = engine.start(session, process_key, data, actor, version=version)
    uploads.attach_to_instance(session, form, data, instance.id)
    return instance


def keep_new_rows(session: Session, row: HumanTask) -> None:
    """Task listener: keep the task rows the engine creates in this session (request or job) in it, so that
    :func:`open_task_rows` finds them (the session itself holds loaded rows only while someone else does)."""
    session.info.setdefault(_NEW_ROWS, []).append(row)


_NEW_ROWS = "new_task_rows"
"""``session.info`` key of the task rows created in the session."""


def open_task_rows(session: Session, instance: ProcessInstance, workflow) -> list[HumanTask]:
    """The instance's task rows waiting for someone now, oldest first (as :func:`outcomes.ready_tasks` reads them).

    They are the rows of ``workflow``'s READY user tasks (the engine mirrors one into the other with every step).
    When the session holds them all (a step in this session created them, :func:`keep_new_rows`) nothing is read;
    otherwise they are read.
    """
    rows = [session.identity_map.get(identity_key(HumanTask, str(task.id))) for task in ready_user_tasks(workflow)]
    if any(row is None or "status" in inspect(row).unloaded or row.status != "ready" for row in rows):
        return outcomes.ready_tasks(session, instance.id)
    return sorted(rows, key=lambda row: row.created_at)


def may_download(session: Session, stored: StoredFile, actor: Actor) -> bool:
    """The uploader, administrators, and whoever may see the instance the file was submitted to."""
    if actor.is_admin or stored.uploaded_by == actor.username:
        return True
    instance = session.get(ProcessInstance, stored.instance_id) if stored.instance_id else None
    return instance is not None and may_see_instance(session, instance, actor)


def may_see_instance(session: Session, instance: ProcessInstance, actor: Actor) -> bool:
    """Administrators, the starter, and whoever holds a task of it (lane role, assignee or completer)."""
    if actor.is_admin or instance.started_by == actor.username:
        return True
    rows = session.scalars(select(HumanTask).where(HumanTask.instance_id == instance.id))
    return any(visible_to(session, row, actor) or row.completed_by == actor.username for row in rows)
