"""Which time zone people read and type times in, usable from every layer (no Flask needed).

Times are stored as naive UTC. People see and enter them in *their* zone: the user's own choice (account page),
else the site's (``CRM_TIMEZONE``, demo ``Asia/Shanghai``). In a request the web layer plugs in the request's
zone (:func:`use`); a job writing to a person wraps the text in ``with zones.force_zone(user.timezone):``;
anywhere else the site's zone applies. Calendar things of the business (report months, "today" in plans,
the time of day payment reminders fire) are in the site zone: :func:`site_zone`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

UTC = dt.UTC
_site = "UTC"
"""Until :func:`configure` (the platform passes ``CRM_TIMEZONE``, default Asia/Shanghai): UTC."""
_request_zone: Callable[[], str | None] = lambda: None  # noqa: E731
_forced: ContextVar[str | None] = ContextVar("forced_zone", default=None)


@cache
def zone(name: str) -> ZoneInfo:
    """The zone called ``name`` (an IANA name such as ``Asia/Shanghai``); unknown names raise ValueError."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{name!r} is not a time zone name (e.g. Asia/Shanghai)") from None


def configure(site: str) -> None:
    """Set the site's zone (the platform does this once with ``CRM_TIMEZONE``)."""
    global _site
    zone(site)
    _site = site


def use(request_zone: Callable[[], str | None]) -> None:
    """Install the request's zone name (the web layer passes its Flask-Babel time zone)."""
    global _request_zone
    _request_zone = request_zone


def site_zone() -> ZoneInfo:
    """The site's zone: report months, "today" in plans, business hours of reminders."""
    return zone(_site)


def current_zone() -> ZoneInfo:
    """The zone times are shown and read in now: a forced one, else the request's, else the site's."""
    name = _forced.get()
    if not name:
        try:
            name = _request_zone()
        except RuntimeError:  # outside a request
            name = None
    return zone(name) if name else site_zone()


@contextmanager
def force_zone(name: str | None) -> Iterator[None]:
    """Show and read times in ``name`` inside the block (empty: the site's zone)."""
    token = _forced.set(name or _site)
    try:
        yield
    finally:
        _forced.reset(token)


def to_local(moment: dt.datetime, where: ZoneInfo | None = None) -> dt.datetime:
    """A stored moment (naive UTC, or aware) as an aware time in ``where`` (default :func:`current_zone`)."""
    aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
    return aware.astimezone(where or current_zone())


def to_utc(moment: dt.datetime, where: ZoneInfo | None = None) -> dt.datetime:
    """A time as it is stored (naive UTC): an aware time is converted, a naive one is read as wall-clock time
    in ``where`` (default :func:`current_zone`)."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=where or current_zone())
    return aware.astimezone(UTC).replace(tzinfo=None)


def local_today(where: ZoneInfo | None = None, now: dt.datetime | None = None) -> dt.date:
    """Today's date in ``where`` (default :func:`current_zone`); ``now`` a stored moment, default the clock."""
    return to_local(now or dt.datetime.now(UTC), where).date()


def site_today(now: dt.datetime | None = None) -> dt.date:
    """Today's date in the site's zone: "today" of plans, documents, numbering and date defaults."""
    return local_today(site_zone(), now)


def utc_iso(moment: dt.datetime) -> str:
    """A stored moment as ISO 8601 UTC with ``Z`` (``2026-12-05T01:00:00Z``), as the API answers."""
    return to_utc(moment, ZoneInfo("UTC")).isoformat() + "Z"
