"""The scheduler's tick, once a second whether or not there is work: what it asks the database when idle.
Housekeeping (expired idempotency keys, old failed sign-ins) runs on the first tick and then every
``app.HOUSEKEEPING``, not on every tick (issue 18: the machine's CPU outside the web tier)."""

from __future__ import annotations

import datetime as dt

from app import HOUSEKEEPING
from engine.periodic import Every
from tests.support.statements import statements


def test_an_idle_tick_asks_only_for_due_timers_due_reminders_and_waiting_jobs(platform):
    platform.relay.tick()  # the first tick: housekeeping and the daily checks run too
    with statements(platform, without_begin=True) as seen:
        platform.relay.tick()
    assert len(seen) == 3, "\n".join(seen)
    assert [s for s in seen if " FROM process_instance " in s and "next_timer_at" in s]
    assert [s for s in seen if " FROM human_task " in s]  # reminders
    assert [s for s in seen if " FROM outbox_job " in s]
    assert not [s for s in seen if s.startswith("DELETE")]


def test_housekeeping_runs_on_the_first_tick_then_once_per_interval():
    calls = []
    task = Every(HOUSEKEEPING, lambda session, now: calls.append(now))
    start = dt.datetime(2026, 12, 7, 9, 0)
    for seconds in (0, 1, 599, 600, 601, 1199, 1200):
        task(None, start + dt.timedelta(seconds=seconds))
    assert calls == [start, start + dt.timedelta(seconds=600), start + dt.timedelta(seconds=1200)]
