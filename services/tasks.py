"""Task and start-form use cases shared by the HTML pages and the JSON API."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.errors import NotFound, TaskDataInvalid
from engine.models import HumanTask, InstanceEvent, ProcessInstance, ProcessVersion
from engine.runtime import Actor, ProcessEngine, current_data
from forms import FormDefinition, FormValidationError, initial_values, validate

from . import lookups
from .form_catalog import FormCatalog


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


def visible_to(row: HumanTask, actor: Actor) -> bool:
    """A task is visible to its lane's members, its assignee and administrators."""
    return actor.is_admin or row.assignee == actor.username or (row.role is None or row.role in actor.roles)


def load_task(session: Session, engine: ProcessEngine, task_id: str, actor: Actor) -> HumanTask:
    """A task the actor may see; others' tasks look like missing ones (404, not 403)."""
    row = session.get(HumanTask, task_id)
    if row is None or not visible_to(row, actor):
        raise NotFound("no such task, or it is not in your lanes")
    return row


def task_view(session: Session, engine: ProcessEngine, catalog: FormCatalog, task_id: str, actor: Actor) -> TaskView:
    """The task, its form with initial values, the process data in context and the history."""
    row = load_task(session, engine, task_id, actor)
    instance = row.instance
    workflow = engine.restore(instance)
    task = workflow.get_task_from_id(UUID(task_id))
    data = dict(task.data) if task is not None else dict(current_data(workflow))
    form = catalog.task_form(instance.version, row.task_name)
    loaded = engine.load_version(instance.version)
    meta = loaded.tasks.get(row.task_name)
    return TaskView(
        row=row, instance=instance, form=form, data=data,
        initial=initial_values(form, data) if form else {},
        history=instance_history(session, instance.id),
        instructions=meta.instructions if meta else "",
    )


def instance_history(session: Session, instance_id: int) -> list[InstanceEvent]:
    """History rows of an instance, oldest first."""
    return list(session.scalars(
        select(InstanceEvent).where(InstanceEvent.instance_id == instance_id).order_by(InstanceEvent.id)
    ))


def validated(
    session: Session, form: FormDefinition | None, raw: Mapping[str, Any], context: Mapping[str, Any]
) -> dict:
    """Typed form data, or :class:`TaskDataInvalid` with per-field messages."""
    if form is None:
        return {}
    try:
        return validate(form, raw, context, reference_exists=lambda kind, rid: lookups.exists(session, kind, rid))
    except FormValidationError as exc:
        raise TaskDataInvalid(exc.errors) from None


def complete_task(
    session: Session, engine: ProcessEngine, catalog: FormCatalog, task_id: str, raw: Mapping[str, Any], actor: Actor
) -> ProcessInstance:
    """Validate ``raw`` against the task's form and complete the task."""
    row = load_task(session, engine, task_id, actor)
    engine.check_can_work_on(row, actor)
    form = catalog.task_form(row.instance.version, row.task_name)
    context = dict(current_data(engine.restore(row.instance))) if form else {}
    return engine.complete(session, task_id, validated(session, form, raw, context), actor)


def start_form(engine: ProcessEngine, catalog: FormCatalog, version: ProcessVersion) -> FormDefinition | None:
    """The start form of a version, if its start event declares one."""
    return catalog.start_form(version, engine.load_version(version).spec)


def start_process(
    session: Session, engine: ProcessEngine, catalog: FormCatalog, process_key: str, raw: Mapping[str, Any],
    actor: Actor,
) -> ProcessInstance:
    """Validate the start form (if any) and start the newest version of a process."""
    version = engine.latest_version(session, process_key)
    form = start_form(engine, catalog, version)
    data = validated(session, form, raw, {}) if form else dict(raw)
    return engine.start(session, process_key, data, actor)
