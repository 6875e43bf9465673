"""Reminders say when a task is due in each recipient's own zone and calendar (issue 14 item 4)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from crm.notifications.messages import Notification, OutboxMessage
from tests.processes.task_helpers import deploy, ready_task, start, update_task, user_id

NOW = dt.datetime(2026, 12, 4, 10, 0)  # UTC: 18:00 on 4 December in Shanghai
DUE = dt.datetime(2026, 12, 4, 20, 0)  # UTC: 04:00 on 5 December in Shanghai


def _reminder(platform, username: str) -> Notification:
    with platform.sessions() as session:
        return session.scalars(select(Notification).where(Notification.user_id == user_id(platform, username))
                               .order_by(Notification.id.desc())).first()


def test_due_tomorrow_means_the_recipients_tomorrow(platform, actors, tmp_uploads, user_timezone):
    """Across the date line: the same task is due "tomorrow" in Shanghai and "today" in London."""
    deploy(platform)
    task = ready_task(platform, start(platform, actors["sales"]))
    user_timezone("sales", "Asia/Shanghai")
    user_timezone("sales2", "Europe/London")
    update_task(platform, task.id, due_at=DUE, created_at=NOW - dt.timedelta(days=3))
    with platform.sessions.begin() as session:
        assert platform.alerts.remind_due(session, NOW) == 1
    shanghai, london = _reminder(platform, "sales"), _reminder(platform, "sales2")
    assert shanghai.subject == london.subject == "Due soon: Fill in every field"
    assert shanghai.body.endswith("is due soon. Due tomorrow at 04:00.")
    assert london.body.endswith("is due soon. Due today at 20:00.")
    with platform.sessions() as session:  # the e-mail is written in the recipient's zone, too
        email = session.scalar(select(OutboxMessage).where(OutboxMessage.channel == "email",
                                                           OutboxMessage.user_id == user_id(platform, "sales")))
    assert email.body == shanghai.body
