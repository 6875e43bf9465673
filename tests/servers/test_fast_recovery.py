"""Faults that a production site meets, recovered in seconds: a frozen Redis, a killed worker, a database outage.

Each test runs its own redis-server (and, for the outage, a cuttable proxy in front of PostgreSQL), so
the faults disturb nothing else. Timings are printed; only the bounds the requirements state are asserted.
"""

from __future__ import annotations

import os
import signal
import time
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from engine.models import OutboxJob
from tests.engine.helpers import deploy, ready_tasks, start
from tests.support.jobs import settle
from tests.support.private_stack import private_stack
from tests.support.tcp_proxy import CuttableProxy
from tests.support.web import WebUser

STALE_SECONDS = 10
HEARTBEAT_SECONDS = 1


@pytest.fixture
def stack(database_url, queue_name, workers):
    """An app, its private Redis, and a way to start workers (optionally through a database proxy)."""
    worker_env = {"CRM_JOB_HEARTBEAT_SECONDS": str(HEARTBEAT_SECONDS), "CRM_JOB_STALE_SECONDS": str(STALE_SECONDS)}
    with private_stack(database_url, queue_name + "-fast", worker_env, job_stale_seconds=STALE_SECONDS,
                       job_requeue_seconds=5, job_heartbeat_seconds=HEARTBEAT_SECONDS) as stack:
        yield stack.app, stack.redis_server, stack.start_worker


def _wait_for(predicate, timeout: float, what: str) -> float:
    started = time.monotonic()
    while not predicate():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"{what}: not within {timeout}s")
        time.sleep(0.05)
    return time.monotonic() - started


def _job_of(platform, instance_id) -> OutboxJob:
    with platform.sessions() as session:
        return session.scalar(select(OutboxJob).where(OutboxJob.instance_id == instance_id))


def test_a_frozen_redis_does_not_slow_the_web_and_jobs_run_when_it_thaws(stack, tmp_path):
    app, redis_server, start_worker = stack
    platform = app.extensions["crm"]
    start_worker()
    deploy(platform, "services.bpmn")
    sales = WebUser(app.test_client(), "sales").login()
    warm = sales.api("POST", "/api/processes/services/instances", json={"flag_path": str(tmp_path / "x")})
    assert warm.status_code == 201
    settle(platform, timeout=30)

    redis_server.freeze()
    timings, started = [], []
    try:
        for _ in range(8):
            began = time.monotonic()
            response = sales.api("POST", "/api/processes/services/instances", json={"flag_path": str(tmp_path / "x")})
            timings.append(time.monotonic() - began)
            assert response.status_code == 201, response.get_data(as_text=True)
            started.append(response.json["id"])
    finally:
        redis_server.thaw()
    print(f"\nstart with Redis frozen: {', '.join(f'{t * 1000:.0f}' for t in timings)} ms")
    assert max(timings) < 1.0  # the requirement is < 200 ms; the bound leaves room for a loaded machine

    settle(platform, timeout=60)  # the scheduler's relay pushes what the web could not
    for instance_id in started:
        assert [t.task_name for t in ready_tasks(platform, instance_id)] == ["check"]
        assert _job_of(platform, instance_id).status == "done"


def test_a_killed_workers_job_is_redone_within_twenty_seconds(stack, actors, tmp_path):
    app, _redis, start_worker = stack
    platform = app.extensions["crm"]
    victim = start_worker()
    deploy(platform, "slow_job.bpmn")
    marker = tmp_path / "started"
    instance_id = start(platform, "slow_job", actors["sales"], {"seconds": 4.0, "marker": str(marker)})
    _wait_for(marker.exists, 30, "a worker picks the job up")
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait(timeout=10)
    killed_at = time.monotonic()
    start_worker()

    def runs_again() -> bool:
        platform.relay.tick()  # the scheduler
        return len(marker.read_text().split()) == 2

    redone_after = _wait_for(runs_again, 20, "the killed worker's job runs again")
    print(f"\njob of a SIGKILLed worker started again after {redone_after:.1f} s")
    settle(platform, timeout=30)
    assert [t.task_name for t in ready_tasks(platform, instance_id)] == ["after"]
    assert _job_of(platform, instance_id).status == "done"
    assert time.monotonic() - killed_at < 60


def test_a_database_outage_during_a_job_loses_nothing(stack, actors, database_url, tmp_path):
    app, _redis, start_worker = stack
    platform = app.extensions["crm"]
    target = urlsplit(database_url.replace("postgresql+psycopg", "postgresql"))
    proxy = CuttableProxy((target.hostname, target.port or 5432))
    try:
        start_worker(database_url.replace(f":{target.port or 5432}/", f":{proxy.port}/"))
        deploy(platform, "slow_job.bpmn")
        marker = tmp_path / "started"
        instance_id = start(platform, "slow_job", actors["sales"], {"seconds": 2.0, "marker": str(marker)})
        _wait_for(marker.exists, 30, "a worker picks the job up")
        proxy.cut()  # the worker's database goes away while its job runs
        time.sleep(6)
        assert _job_of(platform, instance_id).status == "running"  # nobody could record anything
        proxy.restore()
        restored_at = time.monotonic()
        settle(platform, timeout=60)
        print(f"\njob interrupted by a database outage finished {time.monotonic() - restored_at:.1f} s after it")
        assert [t.task_name for t in ready_tasks(platform, instance_id)] == ["after"]
        assert _job_of(platform, instance_id).status == "done"
        assert len(marker.read_text().split()) == 2  # run again, not lost
    finally:
        proxy.close()


def test_a_job_handed_to_a_worker_while_the_database_is_down_runs_when_it_returns(stack, actors, database_url):
    app, _redis, start_worker = stack
    platform = app.extensions["crm"]
    target = urlsplit(database_url.replace("postgresql+psycopg", "postgresql"))
    proxy = CuttableProxy((target.hostname, target.port or 5432))
    try:
        start_worker(database_url.replace(f":{target.port or 5432}/", f":{proxy.port}/"))
        deploy(platform, "services.bpmn")
        proxy.cut()  # the worker cannot reach the database: it takes the job from Redis and fails to claim it
        instance_id = start(platform, "services", actors["sales"], {"flag_path": "/nonexistent/flag"})
        time.sleep(3)
        job = _job_of(platform, instance_id)
        assert job.status == "queued" and job.attempts == 0  # rq gave up on it; the outbox still has it
        proxy.restore()
        restored_at = time.monotonic()
        settle(platform, timeout=60)  # the relay sees that Redis no longer holds it and pushes it again
        print(f"\njob dropped during a database outage ran {time.monotonic() - restored_at:.1f} s after it")
        assert _job_of(platform, instance_id).status == "done"
        assert [t.task_name for t in ready_tasks(platform, instance_id)] == ["check"]
    finally:
        proxy.close()
