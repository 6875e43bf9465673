"""What a user does to a task besides completing it: claim, release, hand over, follow-up date, comment.

Every action first loads the task as ``GET /api/tasks/{id}`` does (:func:`services.processes.tasks.load_task`: a
task outside the actor's lanes or data scope is a 404), then the engine checks lane and assignee. The task's owner
(:func:`services.processes.scope.owns_task`) and administrators may release or take back a task someone else holds.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.accounts.users import User
from crm.processes.worklist import TaskComment, add_comment
from engine import history
from engine.errors import InvalidState, NotFound
from engine.models import HumanTask
from engine.runtime import Actor, ProcessEngine
from i18n import _
from services.notifications.task_alerts import TaskAlerts
from services.processes.codes import status_label
from services.processes.scope import owns_task
from services.processes.tasks import load_task

MAX_COMMENT = 4000


def claim(session: Session, engine: ProcessEngine, task_id: str, actor: Actor) -> HumanTask:
    """Take a task the actor may see into their own list; its owner may take it back from whoever holds it."""
    row = load_task(session, engine, task_id, actor)
    return engine.claim(session, task_id, actor, override=owns_task(session, row, actor))


def release(session: Session, engine: ProcessEngine, task_id: str, actor: Actor) -> HumanTask:
    """Put a task back in its lane's queue: its assignee, its owner or an administrator."""
    row = load_task(session, engine, task_id, actor)
    return engine.unclaim(session, task_id, actor, override=owns_task(session, row, actor))


def hand_over(session: Session, engine: ProcessEngine, alerts: TaskAlerts, task_id: str, username: str,
              actor: Actor) -> HumanTask:
    """Give a task to a colleague holding its role; they are notified as if it landed in their list."""
    task = load_task(session, engine, task_id, actor)
    colleague = session.scalar(select(User).where(User.username == username, User.active.is_(True)))
    if colleague is None:
        raise NotFound(_("no active user %(user)r", user=username))
    row = engine.assign(session, task_id, colleague.username, colleague.role_keys, actor,
                        override=owns_task(session, task, actor))
    session.flush()
    alerts.task_ready(session, row)
    return row


def set_follow_up(session: Session, engine: ProcessEngine, task_id: str, when: dt.datetime | None,
                  actor: Actor) -> HumanTask:
    """Set (or clear, with None) the date the task should be looked at again."""
    row = load_task(session, engine, task_id, actor)
    if row.status != "ready":
        raise InvalidState(_("this task is already %(status)s", status=status_label(row.status)))
    engine.check_can_work_on(row, actor)
    row.follow_up_at = when
    note = f"follow-up {when:%Y-%m-%d}" if when else "follow-up cleared"
    history.record(session, row.instance_id, actor.username, "follow_up_set", note, task=row)
    return row


def comment(session: Session, engine: ProcessEngine, task_id: str, body: str, actor: Actor) -> TaskComment:
    """Add a comment to a task the actor can see; it also appears in the instance history."""
    row = load_task(session, engine, task_id, actor)
    text = body.strip()
    if not text:
        raise InvalidState(_("a comment cannot be empty"))
    if len(text) > MAX_COMMENT:
        raise InvalidState(_("a comment may have at most %(n)s characters", n=MAX_COMMENT))
    history.record(session, row.instance_id, actor.username, "commented", text, task=row)
    return add_comment(session, row.instance_id, row.id, row.title, actor.username, text)
