"""A step that failed (a script or handler raised): what the admin console shows, and the retry job."""

from __future__ import annotations

import datetime as dt
import traceback

from sqlalchemy.orm import Session

from . import history
from .actors import Actor
from .errors import ScriptLimitExceeded
from .models import ProcessInstance
from .outbox import enqueue
from .step_save import Step, insert_instance

RETRY_BACKOFF_SECONDS = (5, 30, 120)


def record_error(session: Session, instance: ProcessInstance, actor: Actor, exc: Exception, step: Step) -> None:
    """Mark the instance's error (task, message, traceback), add it to the step's history and, while attempts
    are left, write the retry job (attempt number from ``session.info["retry_attempt"]``)."""
    insert_instance(session, instance, step)  # the retry job names it
    task = getattr(exc, "task", None)
    instance.error_task = task.task_spec.name if task is not None else None
    instance.error_message = error_message(exc, task)
    instance.error_traceback = "".join(traceback.format_exception(exc))
    attempt = session.info.get("retry_attempt", 0)
    step.events.append(history.event_values(instance.id, actor.username, "error", instance.error_message, task=task))
    if attempt < len(RETRY_BACKOFF_SECONDS):
        enqueue(
            session, instance.id, "retry", {"attempt": attempt + 1},
            delay=dt.timedelta(seconds=RETRY_BACKOFF_SECONDS[attempt]),
        )


def error_message(exc: Exception, task) -> str:
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
