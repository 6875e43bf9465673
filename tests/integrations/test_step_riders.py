"""An engine step asks whether any webhook is active and whether its new task's lane has members along with its
own write (issue 18): with none, the step reads neither the hooks nor the lane's members, and tells nobody; with
some, every event and notice is still made."""

from __future__ import annotations

from sqlalchemy import func, select, update

from crm.accounts.users import User, user_roles
from crm.integrations.webhooks import WebhookDelivery, create_webhook, pause
from crm.notifications.messages import Notification
from tests.engine.helpers import complete, deploy, ready_tasks, start
from tests.support.statements import statements


def _count(platform, model) -> int:
    with platform.sessions() as session:
        return session.scalar(select(func.count()).select_from(model))


def _directors(platform) -> list[int]:
    with platform.sessions() as session:
        return list(session.scalars(select(User.id).join(user_roles, user_roles.c.user_id == User.id)
                                    .where(user_roles.c.role_key == "customer_director", User.active.is_(True))))


def test_no_active_hook_and_an_unstaffed_lane_cost_no_read_and_tell_nobody(platform, actors):
    deploy(platform, "approval.bpmn")
    instance_id = start(platform, "approval", actors["sales"])
    directors = _directors(platform)
    assert directors
    with platform.sessions.begin() as session:
        session.execute(update(User).where(User.id.in_(directors)).values(active=False))
    notes_before = _count(platform, Notification)
    try:
        with statements(platform) as seen:
            complete(platform, ready_tasks(platform, instance_id)[0].id, actors["sales"], {"amount": 5, "reason": "x"})
    finally:  # users outlive a test
        with platform.sessions.begin() as session:
            session.execute(update(User).where(User.id.in_(directors)).values(active=True))
    [review] = ready_tasks(platform, instance_id)
    assert review.role == "customer_director"
    assert not [s for s in seen if s.startswith("SELECT webhook.")], seen
    [write] = [s for s in seen if "UPDATE process_instance" in s]
    assert "FROM webhook" in write and "FROM user_role" in write  # both asked along with the step's write
    assert not [s for s in seen if s.startswith("SELECT app_user.")], seen
    assert _count(platform, Notification) == notes_before


def test_a_staffed_lane_and_an_active_hook_still_hear_the_step(platform, actors):
    deploy(platform, "approval.bpmn")
    instance_id = start(platform, "approval", actors["sales"])
    directors = _directors(platform)
    with platform.sessions.begin() as session:  # paused: its events are kept, no delivery job runs
        pause(create_webhook(session, "https://hooks.example.com/crm", ["task.created", "task.completed"], "admin"))
    notes_before = _count(platform, Notification)
    complete(platform, ready_tasks(platform, instance_id)[0].id, actors["sales"], {"amount": 5, "reason": "x"})
    with platform.sessions() as session:
        notified = list(session.scalars(select(Notification.user_id).order_by(Notification.id).offset(notes_before)))
        events = sorted(session.scalars(select(WebhookDelivery.event)))
    assert sorted(notified) == sorted(directors)
    assert events == ["task.completed", "task.created"]
