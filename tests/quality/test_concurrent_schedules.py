"""Two schedulers (two web processes, or a double trigger) reaching the same period queue one quality run
(issue 15): the run's period key is unique and inserted on conflict do nothing."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import func, select

from crm.base import utcnow
from crm.quality.models import QualityRun
from engine.models import OutboxJob
from services.quality.runs import QualitySchedule
from tests.conftest import servers_mode

SCHEDULERS = 4


def _counts(platform) -> tuple[int, int]:
    with platform.sessions() as session:
        return (session.scalar(select(func.count()).select_from(QualityRun)),
                session.scalar(select(func.count()).select_from(OutboxJob).where(OutboxJob.kind == "quality_check")))


def test_a_second_trigger_in_the_same_period_queues_nothing(platform):
    now = utcnow()
    for _ in range(2):
        with platform.sessions.begin() as session:
            QualitySchedule(dt.timedelta(hours=24), 90)(session, now)
    assert _counts(platform) == (1, 1)


@pytest.mark.servers
@pytest.mark.skipif(not servers_mode(), reason="needs PostgreSQL (CRM_TEST_BACKEND=servers)")
def test_concurrent_schedulers_queue_one_run(platform):
    now, barrier, queued = utcnow(), threading.Barrier(SCHEDULERS), []

    def schedule() -> None:
        with platform.sessions() as session:
            barrier.wait()
            queued.append(QualitySchedule(dt.timedelta(hours=24), 90)(session, now))
            session.commit()

    threads = [threading.Thread(target=schedule) for _ in range(SCHEDULERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(queued) == [0] * (SCHEDULERS - 1) + [1]
    assert _counts(platform) == (1, 1)
