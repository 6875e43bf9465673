"""Production dispatcher: outbox job ids go to an rq queue on Redis."""

from __future__ import annotations

from redis import Redis
from rq import Queue

JOB_FUNCTION = "app.run_outbox_job"


class RqDispatcher:
    """Pushes job ids to rq; a Redis outage raises, and the relay keeps the rows pending."""

    def __init__(self, redis_url: str, queue_name: str):
        self.connection = Redis.from_url(redis_url, socket_connect_timeout=2, socket_timeout=5)
        self.queue = Queue(queue_name, connection=self.connection)

    def push(self, job_ids: list[int]) -> None:
        for job_id in job_ids:
            self.queue.enqueue(JOB_FUNCTION, job_id, job_timeout=600, result_ttl=3600, failure_ttl=7 * 86400)
