"""Timer lag: how long after its due time a timer fires under the platform's scheduler loop.

Instances of timer.bpmn wait ``PT1S`` and then reach a user task. The scheduler (``web.cli.engine.run_ticker``,
what ``flask engine scheduler --interval 0.5`` runs) ticks in a thread; lag = the user task row's
``created_at`` - the instance's ``next_timer_at`` read right after start (the timer's due time).
"due -> job" is the part until the scheduler wrote the instance's timer job (the rest is running it).
"""

from __future__ import annotations

import threading
import time

from sqlalchemy import func, select

from engine.models import HumanTask, OutboxJob, ProcessInstance
from web.cli.engine import run_ticker

from .common import platform_for, start, summary_ms

INSTANCES = 100
INTERVAL_S = 0.5
WAIT = "PT1S"
DEADLINE_S = 60


def measure(database_url: str) -> dict:
    """Start ``INSTANCES`` timer instances with the scheduler running; lag statistics once all fired."""
    platform = platform_for(database_url, "timer.bpmn")
    stop = threading.Event()
    ticker = threading.Thread(target=run_ticker, args=(platform, INTERVAL_S, stop), daemon=True)
    ticker.start()
    try:
        due = {}
        for _ in range(INSTANCES):
            instance_id, _ = start(platform, "timer", {"wait_for": WAIT})
            with platform.sessions() as session:
                due[instance_id] = session.get(ProcessInstance, instance_id).next_timer_at
        fired = _wait_for_tasks(platform, set(due))
        with platform.sessions() as session:
            scheduled = dict(session.execute(select(OutboxJob.instance_id, func.min(OutboxJob.created_at)).where(
                OutboxJob.kind == "timer", OutboxJob.instance_id.in_(set(due))).group_by(OutboxJob.instance_id)).all())
    finally:
        stop.set()
        ticker.join(timeout=30)
        platform.db.dispose()
    lags = [(fired[i] - due[i]).total_seconds() for i in fired]
    result = {"instances": INSTANCES, "fired": len(fired), "interval_s": INTERVAL_S, **summary_ms(lags)}
    result["min_ms"] = round(min(lags) * 1000, 2) if lags else None
    to_job = summary_ms([(scheduled[i] - due[i]).total_seconds() for i in scheduled])
    result["scheduled_median_ms"], result["scheduled_p95_ms"] = to_job["median_ms"], to_job["p95_ms"]
    return result


def _wait_for_tasks(platform, instance_ids: set[int]) -> dict:
    """``{instance_id: created_at}`` of the "work" user task, polling until all appear or the deadline."""
    deadline = time.monotonic() + DEADLINE_S
    found: dict = {}
    while time.monotonic() < deadline:
        with platform.sessions() as session:
            rows = session.execute(select(HumanTask.instance_id, HumanTask.created_at).where(
                HumanTask.task_name == "work", HumanTask.instance_id.in_(instance_ids)))
            found = dict(rows.all())
        if len(found) == len(instance_ids):
            break
        time.sleep(0.25)
    return found
