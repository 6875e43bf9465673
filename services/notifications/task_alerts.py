"""Who hears about a task: when it lands in a queue or a person's list, and when it is due or overdue.

A task goes to its assignee, or else to everyone holding its lane's role. In-app always; a user task
may ask for more channels with an extension property (approval steps: text messages reach approvers
who are not logged in)::

    <bpmn:extensionElements><camunda:properties>
      <camunda:property name="notify" value="sms" />      <!-- or "email", "email,sms" -->
    </camunda:properties></bpmn:extensionElements>

Reminders (in-app and e-mail, plus the task's channels) go out once per task and kind ("due_soon"
within a day of the due date, "overdue" after it); ``reminder_sent`` remembers what was sent. The due time is
written for each recipient in their own zone, relative to their today ("Due tomorrow at 09:00."). A task
given less than a day gets no "due soon" reminder: its new-task notice already names the due date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import bindparam, case, exists, func, select
from sqlalchemy.orm import Session

from crm import formatting
from crm.accounts.users import User, user_roles
from crm.notifications.messages import ReminderSent, reminded
from engine.models import HumanTask, ProcessVersion
from engine.parser import NS
from engine.riders import Rider
from i18n import _
from services.notifications.notifier import CHANNELS, Notifier, Text
from services.processes import labels
from services.processes.version_sources import parsed_files
from services.processes.worklist import DUE_SOON

REMINDERS_PER_TICK = 200
_UNSTAFFED = "task_alerts_unstaffed"
"""``session.info`` key: (the transaction, lanes (role keys) its engine step found without active members)."""
_staffed = (
    select(user_roles.c.role_key).join(User, User.id == user_roles.c.user_id)
    .where(user_roles.c.role_key.in_(bindparam("alert_lane_roles", expanding=True)), User.active.is_(True))
    .distinct().subquery()
)
STAFFED_LANES = select(func.aggregate_strings(_staffed.c.role_key, ",")).scalar_subquery().label("staffed_lanes")
"""Which lanes of the step's new queued tasks have active members (comma-separated role keys)."""


def lanes_asked(rows: Sequence[HumanTask]) -> dict[str, list[str]]:
    """:data:`STAFFED_LANES`'s parameter: the lanes of the new tasks that wait in a queue (no assignee)."""
    return {"alert_lane_roles": sorted({row.role for row in rows if row.role and not row.assignee})}


def note_staffed_lanes(session: Session, staffed: str | None, rows: Sequence[HumanTask]) -> None:
    """Remember the lanes nobody holds: their new tasks' notices would reach no one, so the members are not read."""
    unstaffed = set(lanes_asked(rows)["alert_lane_roles"]) - set((staffed or "").split(","))
    session.info[_UNSTAFFED] = (session.get_transaction(), frozenset(unstaffed))


LANE_RIDER = Rider(STAFFED_LANES, note_staffed_lanes, lanes_asked)
"""The new tasks' lane members asked along with the engine step's write (:mod:`engine.riders`)."""


def _unstaffed(session: Session) -> frozenset[str]:
    known = session.info.get(_UNSTAFFED)
    return known[1] if known is not None and known[0] is session.get_transaction() else frozenset()


class TaskAlerts:
    """The engine's task listener and the relay's reminder tick, built on a :class:`Notifier`."""

    def __init__(self, notifier: Notifier):
        self.notifier = notifier
        self._extra: dict[int, dict[str, tuple[str, ...]]] = {}

    def task_ready(self, session: Session, row: HumanTask) -> None:
        """Task listener: tell the assignee, or the lane, that the task is waiting for them."""
        if not row.assignee and row.role in _unstaffed(session):
            return  # nobody holds the lane (asked along with the step's write): no one to tell
        def body() -> str:
            if row.assignee:
                return _("%(task)s is assigned to you.", task=_about(row)) + _due(row)
            lane = labels.text(row.instance.version, f"lane:{row.lane}", row.lane) if row.lane else row.role
            return _("%(task)s is waiting in the %(lane)s queue.", task=_about(row), lane=lane) + _due(row)

        self._send(session, row, lambda: _("New task: %(task)s", task=_title(row)), body, ("in_app",))

    def remind_due(self, session: Session, now: dt.datetime) -> int:
        """Relay periodic work: remind about tasks due within a day or overdue, once per kind; returns how many."""
        kind = case((HumanTask.due_at < now, "overdue"), else_="due_soon")
        already = exists().where(ReminderSent.task_id == HumanTask.id, ReminderSent.kind == kind)
        rows = session.scalars(
            select(HumanTask).where(HumanTask.status == "ready", HumanTask.due_at <= now + DUE_SOON, ~already)
            .order_by(HumanTask.due_at).limit(REMINDERS_PER_TICK).with_for_update(skip_locked=True)
        ).all()
        sent = 0
        for row in rows:
            overdue = row.due_at < now
            reminded(session, row.id, "overdue" if overdue else "due_soon")
            if not overdue and row.due_at - row.created_at <= DUE_SOON:
                continue  # due soon from birth: the new-task notice already said when
            if overdue:
                subject = lambda row=row: _("Overdue: %(task)s", task=_title(row))  # noqa: E731
                body = lambda row=row: _("%(task)s is overdue.", task=_about(row)) + _due(row, now)  # noqa: E731
            else:
                subject = lambda row=row: _("Due soon: %(task)s", task=_title(row))  # noqa: E731
                body = lambda row=row: _("%(task)s is due soon.", task=_about(row)) + _due(row, now)  # noqa: E731
            self._send(session, row, subject, body, ("in_app", "email"))
            sent += 1
        return sent

    def _send(self, session: Session, row: HumanTask, subject: Text, body: Text, channels: tuple[str, ...]) -> None:
        to = [row.assignee] if row.assignee else [f"role:{row.role}"] if row.role else []
        extra = self.extra_channels(session, row.instance.version_id, row.task_name)
        self.notifier.notify(session, to, subject, body, channels=tuple(dict.fromkeys(channels + extra)),
                             link=f"/tasks/{row.id}")

    def extra_channels(self, session: Session, version_id: int, task_name: str) -> tuple[str, ...]:
        """Channels a user task's ``notify`` property asks for (read once per version and process)."""
        by_task = self._extra.get(version_id)
        if by_task is None:
            by_task = {}
            for root in parsed_files(session.get(ProcessVersion, version_id)):
                for prop in root.iterfind(".//bpmn:userTask/bpmn:extensionElements/camunda:properties/"
                                          "camunda:property[@name='notify']", NS):
                    wanted = [c.strip() for c in (prop.get("value") or "").split(",")]
                    task = prop.getparent().getparent().getparent()
                    by_task[task.get("id")] = tuple(c for c in wanted if c in CHANNELS)
            self._extra[version_id] = by_task
        return by_task.get(task_name, ())


def _title(row: HumanTask) -> str:
    """The task's title in the recipient's language (the diagram's translation, else its own label)."""
    return labels.text(row.instance.version, row.task_name, row.title)


def _about(row: HumanTask) -> str:
    return f"“{_title(row)}” ({labels.process_name(row.instance.version)} #{row.instance_id})"


def _due(row: HumanTask, now: dt.datetime | None = None) -> str:
    """When the task is due, in the recipient's zone and relative to their today ("due tomorrow at 04:00")."""
    return " " + _("Due %(when)s.", when=formatting.due(row.due_at, now)) if row.due_at else ""
