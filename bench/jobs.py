"""Job latency: commit of the transaction that wrote a job -> a worker claims it (PostgreSQL, Redis, rq).

Two rq worker processes (``flask engine worker``) and the scheduler loop (``web.cli.engine.run_ticker``, 1 s)
run; jobs are ``advance`` jobs of one waiting approval instance, written one every 20 ms. Latency =
the row's claim time (``heartbeat_at`` as the runner sets it when it claims) - the time right after
the commit. Two ways a job reaches Redis:
- ``web push``: the web's best-effort push after commit (``relay.after_commit``: 50 ms timeout, breaker);
- ``relay only``: no push from the web (Redis was sick for it): the scheduler's next tick pushes.
The first is what a healthy site sees; the second bounds the latency while the web skips Redis.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import threading
import time
import uuid

from sqlalchemy import select

from config import PROJECT_ROOT
from engine.models import OutboxJob, utcnow
from engine.outbox import enqueue
from web.cli.engine import run_ticker

from .common import platform_for, settings, start, summary_ms

JOBS = 150
GAP_S = 0.02
WORKERS = 2
TICK_S = 1.0
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/13"


def redis_url() -> str:
    return os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL)


def redis_problem(url: str) -> str | None:
    """Why Redis cannot be used, or None."""
    from redis import Redis

    try:
        Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception as exc:
        return f"{exc.__class__.__name__}: {exc}"
    return None


def measure(database_url: str, redis: str) -> dict:
    """Latency statistics per way of pushing (see the module docstring)."""
    queue = f"bench-{uuid.uuid4().hex[:8]}"
    configured = dataclasses.replace(settings(database_url), redis_url=redis, queue_name=queue)
    platform = platform_for(database_url, "approval.bpmn", settings_override=configured)
    instance_id, _ = start(platform, "approval", {})
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis, "CRM_QUEUE": queue,
           "SECRET_KEY": "bench-secret-key-of-the-benchmarks-only-0123456789"}
    workers = [subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "engine", "worker"],
                                cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
               for _ in range(WORKERS)]
    stop = threading.Event()
    ticker = threading.Thread(target=run_ticker, args=(platform, TICK_S, stop), daemon=True)
    ticker.start()
    try:
        time.sleep(3)  # the workers start
        return {"web_push": _latencies(platform, instance_id, push=True),
                "relay_only": _latencies(platform, instance_id, push=False)}
    finally:
        stop.set()
        ticker.join(timeout=30)
        for worker in workers:
            worker.kill()
            worker.wait(timeout=10)
        platform.dispatcher.queue.delete(delete_jobs=True)
        platform.db.dispose()


def _latencies(platform, instance_id: int, *, push: bool) -> dict:
    committed = {}
    for _ in range(JOBS):
        with platform.sessions() as session:
            job = enqueue(session, instance_id, "advance")
            session.commit()
            committed[job.id] = utcnow()
            if push:
                platform.relay.after_commit(session)
            else:
                session.info.pop("new_jobs", None)
        time.sleep(GAP_S)
    claimed = _wait_until_done(platform, set(committed))
    result = summary_ms([(claimed[i] - committed[i]).total_seconds() for i in claimed])
    result["done"], result["jobs"] = len(claimed), JOBS
    return result


def _wait_until_done(platform, ids: set[int], deadline_s: float = 60) -> dict:
    deadline = time.monotonic() + deadline_s
    while True:
        with platform.sessions() as session:
            rows = session.execute(select(OutboxJob.id, OutboxJob.heartbeat_at).where(
                OutboxJob.id.in_(ids), OutboxJob.status == "done")).all()
        if len(rows) == len(ids) or time.monotonic() > deadline:
            return dict(rows)
        time.sleep(0.2)
