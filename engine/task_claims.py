"""Who holds a READY task: claiming, releasing and handing over task rows (the workflow is not touched)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from i18n import _

from . import history
from .actors import Actor
from .errors import Conflict, Forbidden, InvalidState, NotFound
from .models import HumanTask


def get_task(session: Session, task_id: str) -> HumanTask:
    """A task row, or :class:`NotFound`."""
    row = session.get(HumanTask, task_id)
    if row is None:
        raise NotFound(_("no task %(id)s", id=task_id))
    return row


def check_can_work_on(row: HumanTask, actor: Actor) -> None:
    """Raise :class:`Forbidden` unless the actor holds the task's role and it is not someone else's."""
    if row.role and row.role not in actor.roles:
        raise Forbidden(_("this task belongs to the %(lane)s lane", lane=row.lane or row.role))
    if row.assignee and row.assignee != actor.username:
        raise Forbidden(_("this task is assigned to %(user)s", user=row.assignee))


def require_ready(row: HumanTask) -> None:
    """Raise :class:`Conflict` (naming who finished it) unless the task row is still READY."""
    if row.status != "ready":
        if row.completed_by:
            raise Conflict(_("this task was already %(status)s by %(user)s", status=row.status,
                             user=row.completed_by))
        raise Conflict(_("this task was already %(status)s", status=row.status))


def claim(session: Session, task_id: str, actor: Actor, *, override: bool = False) -> HumanTask:
    """Assign a queued task to the actor; a task claimed by someone else is a conflict.

    ``override`` (the caller decided the actor may take the task back, e.g. its customer's owner) skips the
    conflict, not the lane check.
    """
    row = get_task(session, task_id)
    if row.role and row.role not in actor.roles:
        raise Forbidden(_("this task belongs to the %(lane)s lane", lane=row.lane or row.role))
    require_ready(row)
    if row.assignee and row.assignee != actor.username and not override:
        raise Conflict(_("already claimed by %(user)s", user=row.assignee))
    row.assignee = actor.username
    history.record(session, row.instance_id, actor.username, "claimed", task=row)
    return row


def unclaim(session: Session, task_id: str, actor: Actor, *, override: bool = False) -> HumanTask:
    """Put a claimed task back in its lane's queue (the assignee, an admin, or with ``override``)."""
    row = get_task(session, task_id)
    if row.assignee != actor.username and not actor.is_admin and not override:
        raise Forbidden(_("only the assignee can release this task"))
    require_ready(row)
    row.assignee = None
    history.record(session, row.instance_id, actor.username, "unclaimed", task=row)
    return row


def assign(
    session: Session, task_id: str, assignee: str, assignee_roles: Iterable[str], actor: Actor,
    *, override: bool = False,
) -> HumanTask:
    """Hand a task to a colleague holding the task's role (``override``: even if someone else holds it)."""
    row = get_task(session, task_id)
    require_ready(row)
    taken = row.assignee not in (None, actor.username) and not override
    if not actor.is_admin and (taken or row.role not in actor.roles):
        raise Forbidden(_("you can only hand over tasks of your own lanes that are not someone else's"))
    if row.role and row.role not in set(assignee_roles):
        raise InvalidState(_("%(user)s does not hold the role %(role)r", user=assignee, role=row.role))
    row.assignee = assignee
    history.record(session, row.instance_id, actor.username, "assigned", f"handed to {assignee}", task=row)
    return row
