"""Periodic work of the relay's tick that need not run on every tick (once a second)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy.orm import Session

PeriodicTask = Callable[[Session, dt.datetime], object]


class Every:
    """Run ``task`` on the first tick and then at most once per ``interval`` (per scheduler process): housekeeping
    such as deleting expired rows, where a tick's statement found nothing to do nearly every time."""

    def __init__(self, interval: dt.timedelta, task: PeriodicTask):
        self.interval, self.task = interval, task
        self._next: dt.datetime | None = None

    def __call__(self, session: Session, now: dt.datetime) -> object:
        if self._next is not None and now < self._next:
            return 0
        self._next = now + self.interval
        return self.task(session, now)
