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

from sqlalchemy import case, exists, select
from sqlalchemy.orm import Session

from crm import formatting
from crm.notifications.messages import ReminderSent, reminded
from engine.models import HumanTask, ProcessVersion
from engine.parser import NS
from i18n import _
from services.notifications.notifier import CHANNELS, Notifier, Text
from services.processes import labels
from services.processes.version_sources import parsed_files
from services.processes.worklist import DUE_SOON

REMINDERS_PER_TICK = 200


class TaskAlerts:
    """The engine's task listener and the relay's reminder tick, built on a :class:`Notifier`."""

    def __init__(self, notifier: Notifier):
        self.notifier = notifier
        self._extra: dict[int, dict[str, tuple[str, ...]]] = {}

    def task_ready(self, session: Session, row: HumanTask) -> None:
        """Task listener: tell the assignee, or the lane, that the task is waiting for them."""
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
