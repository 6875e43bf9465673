"""Service tasks call registered handlers; failures become errors with retries; jobs run after commit."""

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from engine.models import InstanceEvent, OutboxJob, utcnow
from tests.engine.helpers import complete, data, deploy, instance, ready_tasks, start
from tests.support.timers import make_timers_due


def test_inline_and_background_handlers(platform, actors, settle_jobs, tmp_path):
    deploy(platform, "services.bpmn")
    instance_id = start(platform, "services", actors["sales"], {"flag_path": str(tmp_path / "absent")})
    settle_jobs()
    found = instance(platform, instance_id)
    assert found.status == "running", found.error_message
    values = data(platform, instance_id)
    assert values["total"] == 6 and values["label"] == "n=6"
    assert values["echoed"] == {"label": "n=6", "actor": "sales", "instance": instance_id}
    assert values["outside"] == {"ok": True}
    with platform.sessions() as session:
        jobs = list(session.scalars(select(OutboxJob).where(OutboxJob.instance_id == instance_id)))
    assert [(j.kind, j.status) for j in jobs] == [("advance", "done")]


def test_background_failure_retries_with_backoff_then_succeeds(platform, actors, settle_jobs, tmp_path):
    flag = tmp_path / "down"
    flag.write_text("outside system is down")
    deploy(platform, "services.bpmn")
    instance_id = start(platform, "services", actors["sales"], {"flag_path": str(flag)})
    settle_jobs()
    found = instance(platform, instance_id)
    assert found.status == "error"
    assert found.error_task == "call_outside"
    assert "outside system unavailable" in found.error_message
    assert "ConnectionError" in found.error_traceback
    with platform.sessions() as session:
        retry = session.scalar(select(OutboxJob).where(OutboxJob.kind == "retry"))
    assert retry.status == "pending" and retry.available_at > utcnow() + dt.timedelta(seconds=2)
    flag.unlink()  # the outside system is back
    settle_jobs(fast_forward=True)
    found = instance(platform, instance_id)
    assert found.status == "running" and found.error_message is None
    assert [t.task_name for t in ready_tasks(platform, instance_id)] == ["check"]


def test_retries_stop_after_the_last_attempt(platform, actors, settle_jobs, tmp_path):
    flag = tmp_path / "down"
    flag.write_text("x")
    deploy(platform, "services.bpmn")
    instance_id = start(platform, "services", actors["sales"], {"flag_path": str(flag)})
    settle_jobs(fast_forward=True)
    assert instance(platform, instance_id).status == "error"
    with platform.sessions() as session:
        retries = list(session.scalars(select(OutboxJob).where(OutboxJob.kind == "retry").order_by(OutboxJob.id)))
        errors = session.scalars(select(InstanceEvent).where(InstanceEvent.kind == "error")).all()
    assert [r.status for r in retries] == ["done", "done", "done"]
    assert len(errors) == 4  # the first failure and three retries


def test_handler_exception_keeps_the_completed_user_task(platform, actors):
    deploy(platform, "broken_handler.bpmn")
    instance_id = start(platform, "broken_handler", actors["sales"])
    [task] = ready_tasks(platform, instance_id)
    complete(platform, task.id, actors["sales"], {"value": 41})
    found = instance(platform, instance_id)
    assert found.status == "error" and found.error_task == "explode"
    assert "RuntimeError: grading service exploded" in found.error_message
    assert "NameError" not in found.error_traceback
    assert data(platform, instance_id)["value"] == 41  # the user's input is not lost
    assert ready_tasks(platform, instance_id) == []


def test_due_timer_fires_from_the_database(platform, actors, settle_jobs):
    deploy(platform, "timer.bpmn")
    instance_id = start(platform, "timer", actors["sales"], {"wait_for": "PT1H"})
    found = instance(platform, instance_id)
    assert (found.status, found.waiting_on) == ("waiting", "timer")
    assert found.next_timer_at > utcnow() + dt.timedelta(minutes=59)
    settle_jobs()
    assert instance(platform, instance_id).status == "waiting"  # not due yet
    make_timers_due(platform, instance_id)
    settle_jobs()
    [task] = ready_tasks(platform, instance_id)
    assert task.task_name == "work"
    deadline = instance(platform, instance_id).next_timer_at
    assert deadline > utcnow() + dt.timedelta(days=2, hours=23)


def test_boundary_timer_escalates_and_cancels_the_task(platform, actors, settle_jobs):
    deploy(platform, "timer.bpmn")
    instance_id = start(platform, "timer", actors["sales"], {"wait_for": "PT0S"})
    settle_jobs()
    assert [t.task_name for t in ready_tasks(platform, instance_id)] == ["work"]
    make_timers_due(platform, instance_id)
    settle_jobs()
    found = instance(platform, instance_id)
    assert found.status == "completed"
    assert data(platform, instance_id)["escalated"] is True
    assert ready_tasks(platform, instance_id) == []


def test_money_survives_jobs(platform, actors, settle_jobs, tmp_path):
    deploy(platform, "services.bpmn")
    instance_id = start(platform, "services", actors["sales"],
                        {"flag_path": str(tmp_path / "none"), "amount": Decimal("0.10")})
    settle_jobs()
    assert data(platform, instance_id)["amount"] == Decimal("0.10")


def test_date_timers_are_scheduled_and_fire(platform, actors, settle_jobs):
    deploy(platform, "date_timer.bpmn")
    due = (utcnow() + dt.timedelta(hours=5)).replace(microsecond=0)
    instance_id = start(platform, "date_timer", actors["sales"], {"wait_until": due.isoformat() + "+00:00"})
    found = instance(platform, instance_id)
    assert (found.status, found.waiting_on, found.next_timer_at) == ("waiting", "timer", due)
    make_timers_due(platform, instance_id)
    settle_jobs()
    assert [t.task_name for t in ready_tasks(platform, instance_id)] == ["work"]
