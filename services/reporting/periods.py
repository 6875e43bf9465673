"""Report periods in the site's time zone: a day, a Monday-to-Sunday week or a calendar month.

A period begins at local midnight; stored timestamps are naive UTC, so a period's records are those between
:func:`utc_bounds`. At 2026-12-31 16:30 UTC it is already 2027-01-01 in Shanghai: December and the last week and
day of 2026 are over there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from i18n import _

KINDS = ("daily", "weekly", "monthly")


@dataclass(frozen=True)
class Period:
    """``kind`` from ``start`` to ``end``, both days included."""

    kind: str
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        """How people name the period: ``2026-12-31``, ``Week 53 of 2026 (2026-12-28 – 2027-01-03)``,
        ``2026-12``."""
        if self.kind == "daily":
            return self.start.isoformat()
        if self.kind == "monthly":
            return f"{self.start:%Y-%m}"
        year, week, _weekday = self.start.isocalendar()
        return _("Week %(week)s of %(year)s (%(start)s – %(end)s)", week=week, year=year,
                 start=self.start.isoformat(), end=self.end.isoformat())


def containing(kind: str, day: dt.date) -> Period:
    """The period of ``kind`` that ``day`` falls in."""
    if kind == "daily":
        return Period(kind, day, day)
    if kind == "weekly":
        start = day - dt.timedelta(days=day.weekday())
        return Period(kind, start, start + dt.timedelta(days=6))
    if kind == "monthly":
        start = day.replace(day=1)
        following = (start + dt.timedelta(days=32)).replace(day=1)
        return Period(kind, start, following - dt.timedelta(days=1))
    raise ValueError(f"unknown period kind {kind!r}")


def last_completed(kind: str, now: dt.datetime, zone: ZoneInfo) -> Period:
    """The latest period of ``kind`` that has ended at ``now`` (naive UTC) in ``zone``."""
    today = local_day(now, zone)
    return containing(kind, containing(kind, today).start - dt.timedelta(days=1))


def local_day(now: dt.datetime, zone: ZoneInfo) -> dt.date:
    """The date in ``zone`` at ``now`` (naive UTC)."""
    return now.replace(tzinfo=dt.UTC).astimezone(zone).date()


def utc_bounds(period: Period, zone: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    """Naive UTC [from, to) of the period's local days."""
    def utc_midnight(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(), zone).astimezone(dt.UTC).replace(tzinfo=None)

    return utc_midnight(period.start), utc_midnight(period.end + dt.timedelta(days=1))
