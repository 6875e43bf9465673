"""Saving an engine step: decide the instance's status, write state, task rows and history in one go
(:mod:`engine.step_writer`), then tell the riders' and the listeners' owners, in the same transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from i18n import _

from . import history
from .errors import Conflict
from .models import HumanTask, InstanceEvent, ProcessInstance, utcnow
from .riders import Rider
from .serializer import StateSerializer
from .state import current_data, next_timer, waiting_on
from .step_writer import NewRows, SetValues, attach_written, insert_together, mark_written, write_one, write_together
from .task_mirror import AssigneeResolver, ready_user_tasks, sync_tasks
from .versions import LoadedVersion

TaskListener = Callable[[Session, HumanTask], None]
"""Called in the saving transaction for every user task that became READY (e.g. notifications)."""
StepListener = Callable[[Session, ProcessInstance, list[dict]], None]
"""Told, in the same transaction, the history rows (``event_values`` dicts) a step of an instance wrote."""

_INSERT_INSTANCE = insert(ProcessInstance.__table__).returning(ProcessInstance.id)
"""Built once: building costs more than running from SQLAlchemy's cache."""


@dataclass
class Step:
    """What one engine step writes besides the instance: history rows, and the task row it completed."""

    ready_before: set[str] | None
    events: list[dict] = field(default_factory=list)
    done: HumanTask | None = None
    done_values: dict = field(default_factory=dict)
    new_instance: dict[str, Any] | None = None
    """A started instance's first column values while its row is not written yet (see ``ProcessEngine.start``)."""


class StepSaver:
    """Writes steps; the listener and rider lists are the engine's own (appending to them is how one subscribes)."""

    def __init__(self, serializer: StateSerializer, assignee_resolver: AssigneeResolver, riders: list[Rider],
                 task_listeners: list[TaskListener], step_listeners: list[StepListener]):
        self.serializer = serializer
        self.assignee_resolver = assignee_resolver
        self.riders = riders
        self.task_listeners = task_listeners
        self.step_listeners = step_listeners

    def save_run(self, session: Session, instance: ProcessInstance, workflow, loaded: LoadedVersion, step: Step,
                 *, deferred: bool, failed: bool) -> None:
        """Decide the instance's status after engine steps ran (``deferred`` at a background service task,
        ``failed`` at an error) and write the step."""
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
        values["customer_id"] = int_or_none(current_data(workflow).get("customer_id")) or instance.customer_id
        self.write(session, instance, workflow, loaded, step, values)

    def write(self, session: Session, instance: ProcessInstance, workflow, loaded: LoadedVersion, step: Step,
              values: dict[str, Any]) -> None:
        """Write state, task rows and history in one go (see :mod:`engine.step_writer`), then tell listeners.

        A started instance's row is inserted by the same statement on PostgreSQL (its task and history rows take
        its new id there); elsewhere first, on its own.
        """
        if step.new_instance is not None and session.get_bind().dialect.name != "postgresql":
            insert_instance(session, instance, step)
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


def insert_instance(session: Session, instance: ProcessInstance, step: Step) -> None:
    """Insert a started instance's row now, if not yet written (its id is needed before the step's write)."""
    if step.new_instance is None:
        return
    instance.id = session.execute(_INSERT_INSTANCE, step.new_instance).scalar_one()
    step.new_instance = None
    attach_written(session, instance)
    for event in step.events:
        event["instance_id"] = instance.id


def write_events(session: Session, step: Step) -> None:
    """Write the step's history so far now (before a handler's rows)."""
    if step.events:
        write_one(session, NewRows(InstanceEvent.__table__, step.events))
        step.events.clear()


def int_or_none(value) -> int | None:
    """A customer id from process data: an int, or None for anything that is not one."""
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _expire_rows(session: Session, task_ids: Iterable[str]) -> None:
    """Forget loaded copies of task rows changed by hand (cancelled), so they are read again."""
    for task_id in task_ids:
        row = session.identity_map.get(identity_key(HumanTask, task_id))
        if row is not None:
            session.expire(row)
