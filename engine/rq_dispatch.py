"""Production dispatcher: outbox job ids go to an rq queue on Redis.

Each outbox row is one rq job with a predictable id (``<queue>-<row id>``), so the relay can ask
Redis whether a job it marked ``queued`` is still waiting or running there, or was lost.
"""

from __future__ import annotations

import logging

import pybreaker
from redis import Redis
from rq import Queue
from rq.job import Job

JOB_FUNCTION = "app.run_outbox_job"
HELD_STATUSES = {b"queued", b"deferred", b"scheduled"}
"""rq statuses of a job still waiting for a worker. Not ``started``: a worker killed before it claimed the
row leaves that status behind; a live one claims the row (``running``) within milliseconds."""

log = logging.getLogger(__name__)


class RqDispatcher:
    """Pushes job ids to rq in one round trip; a Redis outage (or timeout) raises and the rows stay pending."""

    def __init__(self, redis_url: str, queue_name: str, timeout: float = 5.0):
        self.connection = Redis.from_url(redis_url, socket_connect_timeout=min(timeout, 2.0),
                                         socket_timeout=timeout)
        self.queue = Queue(queue_name, connection=self.connection)

    def rq_id(self, job_id: int) -> str:
        return f"{self.queue.name}-{job_id}"

    def push(self, job_ids: list[int]) -> None:
        with self.connection.pipeline() as pipe:
            for job_id in job_ids:
                self.queue.enqueue_call(JOB_FUNCTION, args=(job_id,), job_id=self.rq_id(job_id), timeout=600,
                                        result_ttl=3600, failure_ttl=7 * 86400, pipeline=pipe)
            pipe.execute()

    def holds(self, job_ids: list[int]) -> set[int]:
        """The ids whose rq job still waits for a worker (a started, finished, failed or missing one was lost)."""
        with self.connection.pipeline(transaction=False) as pipe:
            for job_id in job_ids:
                pipe.hget(Job.key_for(self.rq_id(job_id)), "status")
            statuses = pipe.execute()
        return {job_id for job_id, status in zip(job_ids, statuses, strict=True) if status in HELD_STATUSES}


class BestEffortPush:
    """The web's push after commit: a short timeout, and a circuit breaker that skips Redis while it is sick.

    After ``failures`` failed pushes in a row the breaker opens for ``open_seconds``: pushes fail at
    once and the rows wait for the scheduler's relay. The breaker's state is per process (in
    memory): each web process learns on its own that Redis is sick, after ``failures`` slow pushes;
    it is only an optimisation, correctness never depends on it.
    """

    def __init__(self, target: RqDispatcher, failures: int, open_seconds: float):
        self.target = target
        self.breaker = pybreaker.CircuitBreaker(fail_max=failures, reset_timeout=open_seconds,
                                                name=f"redis push {target.queue.name}")

    def push(self, job_ids: list[int]) -> None:
        self.breaker.call(self.target.push, job_ids)

    def holds(self, job_ids: list[int]) -> set[int]:
        return self.target.holds(job_ids)
