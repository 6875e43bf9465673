"""What happened after a user completed a task, read from the engine's result, in words and with a kind.

``success`` (sent on to the next lane or person, or finished normally), ``refused`` (a handler refused
the step and the same task is back, with the handler's reason), ``cancelled`` (the process ended at a
cancelling or rejecting end event), ``info`` (waiting for a timer, a message or background work) and
``error``. Pages flash the text in the kind's colour; the API returns the same text and kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.models import HumanTask, ProcessInstance
from engine.runtime import Actor, ProcessEngine
from engine.state import current_data, reached_end_events
from engine.workflow import PlatformWorkflow
from i18n import _
from services.processes import labels

FLASH_CATEGORY = {"success": "success", "refused": "warning", "cancelled": "secondary", "info": "info",
                  "error": "danger"}
_CANCELLING = re.compile(r"cancel|declin|reject|no.?bid|refus|abort|lost", re.IGNORECASE)
MAX_REASON = 300


@dataclass(frozen=True)
class Outcome:
    """The message after completing a task."""

    kind: str
    text: str

    @property
    def category(self) -> str:
        """The flash category (Bootstrap alert colour) of the kind."""
        return FLASH_CATEGORY[self.kind]

    def to_api(self) -> dict:
        return {"kind": self.kind, "text": self.text}


def after_completion(session: Session, engine: ProcessEngine, instance: ProcessInstance, done: HumanTask,
                     actor: Actor, ready: list[HumanTask] | None = None,
                     workflow: PlatformWorkflow | None = None) -> Outcome:
    """The outcome of completing ``done``, read from what the completion wrote (``instance`` carries its new
    status); ``ready``: the instance's READY task rows, oldest first, when the caller has read them already;
    ``workflow``: the instance's workflow as saved, when the caller has restored it already."""
    if ready is None:
        ready = ready_tasks(session, instance.id)
    labels.show(session, [instance, done, *ready])
    again = next((row for row in ready if row.task_name == done.task_name), None)
    if again is not None:
        return Outcome("refused", _("%(refusal)s — “%(task)s” is back in %(where)s.",
                                    refusal=_refusal(engine, instance, done, workflow), task=again.title,
                                    where=_where(again, actor)))
    if instance.status == "completed":
        return _ended(engine, instance, done, workflow)
    if instance.status == "error":
        return Outcome("error", _("“%(task)s” was saved, but the process stopped on an error; "
                                  "an administrator can retry it from the console.", task=done.title))
    if ready:
        steps = _("; ").join(_("“%(task)s” is in %(where)s", task=row.title, where=_where(row, actor))
                             for row in ready[:3])
        return Outcome("success", _("“%(task)s” completed. Next: %(steps)s.", task=done.title, steps=steps))
    if instance.status == "waiting":
        if instance.waiting_on == "timer":
            text = _("“%(task)s” completed. The process now waits for a due date.", task=done.title)
        elif instance.waiting_on == "message":
            text = _("“%(task)s” completed. The process now waits for a message from another process.",
                     task=done.title)
        else:
            text = _("“%(task)s” completed. The process now waits.", task=done.title)
        return Outcome("info", text)
    return Outcome("info", _("“%(task)s” completed. The next steps run in the background; "
                             "new tasks will appear in the worklist.", task=done.title))


def ready_tasks(session: Session, instance_id: int) -> list[HumanTask]:
    """The instance's task rows waiting for someone now, oldest first."""
    return list(session.scalars(select(HumanTask).where(
        HumanTask.instance_id == instance_id, HumanTask.status == "ready").order_by(HumanTask.created_at)))


def _where(row: HumanTask, actor: Actor) -> str:
    if row.assignee == actor.username:
        return _("your list")
    if row.assignee:
        return _("%(user)s's list", user=row.assignee)
    if row.lane or row.role:
        return _("the %(lane)s queue", lane=row.lane or row.role)
    return _("the shared queue")


def _refusal(engine: ProcessEngine, instance: ProcessInstance, done: HumanTask,
             workflow: PlatformWorkflow | None) -> str:
    """The handler's reason, from a ``…_refused`` value in the process data (e.g. ``booking_refused``)."""
    data = current_data(workflow if workflow is not None else engine.restore(instance))
    for key, value in data.items():
        if key.endswith("_refused") and isinstance(value, str) and value.strip():
            what = key.removesuffix("_refused").replace("_", " ").capitalize()
            return _("The %(what)s was refused: %(reason)s", what=what.lower(), reason=value.strip()[:MAX_REASON])
    return _("“%(task)s” was not accepted", task=done.title)


def _ended(engine: ProcessEngine, instance: ProcessInstance, done: HumanTask,
           workflow: PlatformWorkflow | None) -> Outcome:
    ends = reached_end_events(workflow if workflow is not None else engine.restore(instance))
    name = labels.text(instance.version, ends[-1][0], ends[-1][1]) if ends else _("finished")
    cancelled = bool(ends) and bool(_CANCELLING.search(f"{ends[-1][0]} {name}"))
    if cancelled:
        return Outcome("cancelled", _("%(process)s #%(id)s ended: %(end)s (after “%(task)s”).",
                                      process=instance.title, id=instance.id, end=name, task=done.title))
    return Outcome("success", _("“%(task)s” completed. %(process)s #%(id)s is finished: %(end)s.",
                                task=done.title, process=instance.title, id=instance.id, end=name))
