"""Outbox delivery is at-least-once, yet no finished job runs again and no once-only row is written twice.

The relay and the runner are driven by hand here (a recording dispatcher, jobs run in this process), so
the interleavings are exact on both backends.
"""

import datetime as dt
import json
import logging
import threading

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from config.logs import RequestIdFilter, request_id
from engine import history
from engine.models import InstanceEvent, OutboxJob, utcnow
from engine.outbox import enqueue
from engine.relay import Relay, schedule_due_timers
from tests.conftest import servers_mode
from tests.engine.helpers import deploy, ready_tasks, start
from tests.support.timers import make_timers_due


class RecordingDispatcher:
    """Remembers what was pushed; runs nothing (the test plays the worker)."""

    def __init__(self, holding: set[int] = frozenset()):
        self.pushed: list[int] = []
        self.holding = set(holding)

    def push(self, job_ids):
        self.pushed.extend(job_ids)

    def holds(self, job_ids):
        return self.holding & set(job_ids)


class DelayedClock:
    """A clock whose ``at``-th reading first lets ``meanwhile`` happen (a worker finishing a job)."""

    def __init__(self, at: int, meanwhile):
        self.readings, self.at, self.meanwhile = 0, at, meanwhile

    def __call__(self) -> dt.datetime:
        self.readings += 1
        if self.readings == self.at:
            self.meanwhile()
        return utcnow()


def _relay(platform, dispatcher, clock=utcnow, stale=15, requeue=10) -> Relay:
    return Relay(platform.sessions, dispatcher, dt.timedelta(seconds=stale), dt.timedelta(seconds=requeue),
                 clock=clock)


def _write_job(platform, instance_id, kind="advance", payload=None) -> int:
    with platform.sessions.begin() as session:
        job = enqueue(session, instance_id, kind, payload)
        session.flush()
        return job.id


def _job(platform, job_id) -> OutboxJob:
    with platform.sessions() as session:
        return session.get(OutboxJob, job_id)


def _events(platform, instance_id, kind) -> int:
    with platform.sessions() as session:
        return session.scalar(select(func.count()).select_from(InstanceEvent).where(
            InstanceEvent.instance_id == instance_id, InstanceEvent.kind == kind))


@pytest.fixture
def waiting_instance(platform, actors):
    deploy(platform, "timer.bpmn")
    return start(platform, "timer", actors["sales"], {"wait_for": "PT1H"})


def test_a_job_finished_between_push_and_mark_is_not_queued_again(platform, waiting_instance):
    job_id = _write_job(platform, waiting_instance)
    recorder = RecordingDispatcher()
    # after_commit reads the clock for "due", pushes, then reads it again to stamp the rows it marks:
    # the worker finishes the job right between the push and the mark
    relay = _relay(platform, recorder, DelayedClock(2, lambda: platform.runner.run(job_id)))
    with platform.sessions() as session:
        session.info["new_jobs"] = [session.get(OutboxJob, job_id)]
        session.commit()
        relay.after_commit(session)
    assert recorder.pushed == [job_id]
    assert _job(platform, job_id).status == "done"  # not put back to "queued"
    assert platform.runner.run(job_id) == "done"  # the pushed message arrives: nothing runs
    assert _job(platform, job_id).attempts == 1


def test_the_tick_does_not_requeue_a_job_finished_meanwhile(platform, waiting_instance):
    job_id = _write_job(platform, waiting_instance)
    recorder = RecordingDispatcher()
    relay = _relay(platform, recorder, DelayedClock(3, lambda: platform.runner.run(job_id)))
    assert relay.tick() == 1
    assert recorder.pushed == [job_id]
    assert (_job(platform, job_id).status, _job(platform, job_id).attempts) == ("done", 1)
    assert relay.tick() == 0 and recorder.pushed == [job_id]


def test_a_failed_push_leaves_the_job_pending_for_the_next_tick(platform, waiting_instance):
    class Down(RecordingDispatcher):
        def push(self, job_ids):
            raise ConnectionError("queue down")

    job_id = _write_job(platform, waiting_instance)
    assert _relay(platform, Down()).tick() == 1
    assert _job(platform, job_id).status == "pending"
    recorder = RecordingDispatcher()
    assert _relay(platform, recorder).tick() == 1
    assert recorder.pushed == [job_id] and _job(platform, job_id).status == "queued"


def test_a_silent_running_job_is_pushed_again_and_a_beating_one_is_not(platform, waiting_instance):
    silent, beating = _write_job(platform, waiting_instance), _write_job(platform, waiting_instance)
    long_ago = utcnow() - dt.timedelta(seconds=60)
    with platform.sessions.begin() as session:
        session.execute(update(OutboxJob).where(OutboxJob.id == silent)
                        .values(status="running", heartbeat_at=long_ago, attempts=1))
        session.execute(update(OutboxJob).where(OutboxJob.id == beating)
                        .values(status="running", heartbeat_at=utcnow(), attempts=1))
    recorder = RecordingDispatcher()
    _relay(platform, recorder, stale=15).tick()
    assert recorder.pushed == [silent]
    assert _job(platform, silent).status == "queued" and _job(platform, beating).status == "running"
    assert platform.runner.run(silent) == "done"
    assert platform.runner.run(beating) == "running"  # a duplicate message of a live job is dropped


def test_a_queued_job_the_queue_lost_is_pushed_again_after_the_delay(platform, waiting_instance):
    lost, waiting = _write_job(platform, waiting_instance), _write_job(platform, waiting_instance)
    with platform.sessions.begin() as session:
        session.execute(update(OutboxJob).where(OutboxJob.id.in_((lost, waiting)))
                        .values(status="queued", updated_at=utcnow() - dt.timedelta(seconds=30)))
    recorder = RecordingDispatcher(holding={waiting})
    _relay(platform, recorder, requeue=10).tick()
    assert recorder.pushed == [lost]  # the other one still waits in the queue: no duplicate
    recorder = RecordingDispatcher()
    _relay(platform, recorder, requeue=10).tick()
    assert recorder.pushed == []  # checked again only after the delay


def test_a_timer_job_delivered_twice_fires_once(platform, waiting_instance):
    make_timers_due(platform, waiting_instance)
    with platform.sessions.begin() as session:
        assert schedule_due_timers(session, utcnow()) == 1
    [job_id] = _open_jobs(platform, "timer")
    assert platform.runner.run(job_id) == "done"
    assert platform.runner.run(job_id) == "done"  # the same message again
    with platform.sessions() as session:  # and a second row for the same occurrence (scheduled twice)
        payload = json.loads(session.get(OutboxJob, job_id).payload)
    duplicate = _write_job(platform, waiting_instance, "timer", payload)
    assert platform.runner.run(duplicate) == "done"
    assert _events(platform, waiting_instance, "timer_fired") == 1
    assert [t.task_name for t in ready_tasks(platform, waiting_instance)] == ["work"]


@pytest.mark.skipif(not servers_mode(), reason="parallel transactions need PostgreSQL")
def test_two_deliveries_of_one_timer_in_parallel_write_one_row(platform, waiting_instance):
    make_timers_due(platform, waiting_instance)
    payload = {"due": (utcnow() - dt.timedelta(seconds=1)).isoformat()}
    jobs = [_write_job(platform, waiting_instance, "timer", payload) for _ in range(2)]
    barrier = threading.Barrier(2)
    results: list[str] = []

    def deliver(job_id):
        barrier.wait()
        results.append(platform.runner.run(job_id))

    threads = [threading.Thread(target=deliver, args=(job_id,)) for job_id in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert results == ["done", "done"]
    assert _events(platform, waiting_instance, "timer_fired") == 1


def test_a_retry_attempt_is_recorded_once(platform, actors, tmp_path):
    flag = tmp_path / "down"
    flag.write_text("outside system is down")
    deploy(platform, "services.bpmn")
    instance_id = start(platform, "services", actors["sales"], {"flag_path": str(flag)})
    retry = _write_job(platform, instance_id, "retry", {"attempt": 1})
    flag.unlink()
    assert platform.runner.run(retry) == "done"
    with platform.sessions.begin() as session:  # a duplicate delivery that got past the claim
        session.execute(update(OutboxJob).where(OutboxJob.id == retry).values(status="queued"))
    assert platform.runner.run(retry) == "done"
    assert _events(platform, instance_id, "retried") == 1


def test_the_database_refuses_a_second_once_only_row(platform, waiting_instance):
    with platform.sessions.begin() as session:
        assert history.record_once(session, "timer:x", waiting_instance, "system", "timer_fired")
        assert not history.record_once(session, "timer:x", waiting_instance, "system", "timer_fired")
    with pytest.raises(IntegrityError), platform.sessions.begin() as session:
        session.add(InstanceEvent(instance_id=waiting_instance, actor="system", kind="timer_fired",
                                  once_key="timer:x"))


def _open_jobs(platform, kind) -> list[int]:
    with platform.sessions() as session:
        return list(session.scalars(select(OutboxJob.id).where(OutboxJob.kind == kind,
                                                               OutboxJob.status == "pending")))


def test_a_jobs_log_lines_carry_the_id_of_the_request_that_wrote_it(platform, waiting_instance, caplog):
    caplog.handler.addFilter(RequestIdFilter())
    token = request_id.set("req-from-the-web-1")
    try:
        job_id = _write_job(platform, waiting_instance, "no_such_kind")
    finally:
        request_id.reset(token)
    assert _job(platform, job_id).request_id == "req-from-the-web-1"
    assert platform.runner.run(job_id) == "pending"  # failed once: retried after a backoff
    [failure] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert failure.request_id == "req-from-the-web-1" and f"job {job_id} failed" in failure.getMessage()
