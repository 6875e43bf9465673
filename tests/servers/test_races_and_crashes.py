"""Concurrency and crash recovery on PostgreSQL + Redis with real rq worker processes."""

import os
import signal
import threading
import time
from decimal import Decimal

from sqlalchemy import select

from engine.errors import Conflict
from engine.models import OutboxJob
from tests.conftest import start_worker, stop_workers
from tests.engine.helpers import deploy, instance, ready_tasks, start


def test_two_users_complete_one_task_at_the_same_moment(platform, actors):
    deploy(platform, "approval.bpmn")
    for _round in range(10):
        instance_id = start(platform, "approval", actors["sales"])
        [task] = ready_tasks(platform, instance_id)
        barrier = threading.Barrier(2)
        outcomes: list[str] = []

        def attempt(actor, amount, task_id=task.id, barrier=barrier, outcomes=outcomes):
            with platform.sessions() as session:
                barrier.wait()
                try:
                    platform.engine.complete(session, task_id, {"amount": Decimal(amount)}, actor)
                    session.commit()
                    outcomes.append(f"ok:{actor.username}")
                except Conflict:
                    session.rollback()
                    outcomes.append("conflict")

        threads = [threading.Thread(target=attempt, args=(actors[name], n))
                   for name, n in (("sales", 1), ("sales2", 2))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(o.split(":")[0] for o in outcomes) == ["conflict", "ok"], outcomes
        [review] = ready_tasks(platform, instance_id)
        assert review.task_name == "review"


def test_worker_killed_mid_job_the_job_is_redone(platform, actors, database_url, queue_name, tmp_path, settle_jobs):
    deploy(platform, "slow_job.bpmn")
    marker = tmp_path / "started"
    instance_id = start(platform, "slow_job", actors["sales"], {"seconds": 8.0, "marker": str(marker)})
    deadline = time.monotonic() + 30
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert marker.exists(), "no worker picked the job up"
    victim = int(marker.read_text().split()[0])
    os.kill(victim, signal.SIGKILL)
    replacement = start_worker(database_url, queue_name)
    try:
        with platform.sessions() as session:
            job = session.scalar(select(OutboxJob).where(OutboxJob.instance_id == instance_id))
            assert job.status == "running"  # the killed worker never finished it; its heartbeat stops
        settle_jobs(timeout=60)
        [task] = ready_tasks(platform, instance_id)
        assert task.task_name == "after"
        assert instance(platform, instance_id).status == "running"
        with platform.sessions() as session:
            job = session.scalar(select(OutboxJob).where(OutboxJob.instance_id == instance_id))
            assert job.status == "done"
        assert len(marker.read_text().split()) == 2  # ran twice: at least once, not lost
    finally:
        stop_workers([replacement])
