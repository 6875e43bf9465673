"""Recovery on real servers: Redis stopped while users work, lost timer jobs, a killed worker repaired.

These tests run their own redis-server on a free port, so stopping it does not disturb anything else.
"""

import datetime as dt
import os
import re
import signal
import time

import pytest
from sqlalchemy import delete, select, update

from engine.models import InstanceEvent, OutboxJob, ProcessInstance, utcnow
from tests.engine.helpers import deploy, instance, ready_tasks, start
from tests.support.jobs import settle
from tests.support.private_stack import private_stack
from tests.support.timers import make_timers_due
from tests.support.web import WebUser


@pytest.fixture
def stack(database_url, queue_name, workers):
    """An app and a worker whose Redis the test controls; tables shared with the main test database."""
    with private_stack(database_url, queue_name + "-private") as stack:
        yield stack.app, stack.redis_server, stack.start_worker


def _login(app, username):
    return WebUser(app.test_client(), username).login()


def test_redis_down_for_30_seconds_while_users_work(stack, actors, tmp_path):
    app, redis_server, start_worker = stack
    platform = app.extensions["crm"]
    start_worker()
    deploy(platform, "services.bpmn")
    sales = _login(app, "sales")
    admin = _login(app, "admin")

    redis_server.stop()
    stopped_at = time.monotonic()
    started = []
    while time.monotonic() - stopped_at < 30:  # users keep working for 30 s; the web keeps answering
        response = sales.api("POST", "/api/processes/services/instances", json={"flag_path": str(tmp_path / "x")})
        assert response.status_code == 201, response.get_data(as_text=True)
        started.append(response.json["id"])
        assert sales.get("/worklist/").status_code == 200
        platform.relay.tick()  # the scheduler keeps ticking too; nothing can be pushed
        time.sleep(2)
    health = admin.get("/admin/health").get_data(as_text=True)
    assert "Redis:" in health  # the console says why nothing moves
    with platform.sessions() as session:
        pending = session.scalars(select(OutboxJob).where(OutboxJob.instance_id.in_(started))).all()
    assert len(pending) == len(started) and all(j.status == "pending" for j in pending)

    redis_server.start()
    settle(platform, timeout=60)
    for instance_id in started:
        assert instance(platform, instance_id).status == "running"
        assert [t.task_name for t in ready_tasks(platform, instance_id)] == ["check"]


def test_a_lost_timer_job_is_found_again_from_the_database(stack, actors):
    app, redis_server, start_worker = stack
    platform = app.extensions["crm"]
    deploy(platform, "timer.bpmn")
    first = start(platform, "timer", actors["sales"], {"wait_for": "PT1H"})
    second = start(platform, "timer", actors["sales"], {"wait_for": "PT1H"})
    _make_due(platform, first, second)
    platform.relay.tick()  # jobs for both timers go to Redis; no worker runs yet
    redis_server.stop()  # Redis keeps nothing on disk: both queued jobs are lost
    redis_server.start()
    with platform.sessions.begin() as session:  # and for the second even the outbox row is gone
        session.execute(delete(OutboxJob).where(OutboxJob.instance_id == second))
        session.execute(update(OutboxJob).where(OutboxJob.status == "queued")
                        .values(updated_at=utcnow() - dt.timedelta(minutes=5)))
    start_worker()
    settle(platform, timeout=60)
    for instance_id in (first, second):
        assert [t.task_name for t in ready_tasks(platform, instance_id)] == ["work"]


def _make_due(platform, *instance_ids):
    for instance_id in instance_ids:
        make_timers_due(platform, instance_id)


def test_worker_killed_mid_job_repaired_from_the_console(stack, actors, tmp_path):
    app, _redis, start_worker = stack
    platform = app.extensions["crm"]
    victim = start_worker()
    deploy(platform, "slow_job.bpmn")
    marker = tmp_path / "started"
    instance_id = start(platform, "slow_job", actors["sales"], {"seconds": 6.0, "marker": str(marker)})
    deadline = time.monotonic() + 30
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait(timeout=10)
    admin = _login(app, "admin")
    page = admin.get(f"/admin/instances/{instance_id}").get_data(as_text=True)
    assert re.search(r"<td>Run the process on</td><td>Running</td>", page)  # the console shows the stuck job
    start_worker()
    admin.post(f"/admin/instances/{instance_id}/requeue", {"reason": "worker host crashed"})
    settle(platform, timeout=60)
    assert [t.task_name for t in ready_tasks(platform, instance_id)] == ["after"]
    with platform.sessions() as session:
        kinds = session.scalars(select(InstanceEvent.kind).where(InstanceEvent.instance_id == instance_id)).all()
        assert "requeued" in kinds
        assert session.get(ProcessInstance, instance_id).status == "running"
