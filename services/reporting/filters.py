"""What the reports and KPI pages are narrowed to: a period of whole days in the site time zone, a salesperson or
a team, and customer attributes (region, industry, grade). Kept in the URL query string, so the page, the JSON
and the workbook of one address show the same figures.

Times are stored in UTC (naive); a period's days begin at midnight in the site zone (``CRM_TIMEZONE``), and a
record counts in the month of its local time.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from zoneinfo import ZoneInfo

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from crm.accounts.users import User
from crm.customers.models import Customer
from i18n import _, _l

PERIOD_NAMES = {"last12": _l("Last twelve months"), "month": _l("Month"), "quarter": _l("Quarter"),
                "year": _l("Year"), "custom": _l("Custom")}
"""The periods and how they read; ``last12``: the twelve months ending with this one (the default)."""
PERIODS = tuple(PERIOD_NAMES)
MAX_MONTHS = 60
"""The longest custom period, in months: a chart and a sheet stay readable."""
CUSTOMER_ATTRIBUTES = ("region", "industry", "grade")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_QUARTER = re.compile(r"(\d{4})-Q([1-4])")
_UTC = dt.UTC


@dataclass(frozen=True)
class ReportFilter:
    """A period ``first`` … ``last`` (site-zone days, both included) and who/which customers it covers. Its
    months and instants are worked out once (a page asks for them once per figure)."""

    first: dt.date
    last: dt.date
    zone: ZoneInfo
    period: str = "last12"
    anchor: str = ""
    """The month (``2026-11``), quarter (``2026-Q4``) or year (``2026``) the period names; empty otherwise."""
    salesperson_id: int | None = None
    team_id: int | None = None
    region: str = ""
    industry: str = ""
    grade: str = ""
    problems: tuple[str, ...] = field(default=(), compare=False)
    """Query values that were not understood (the default was used instead)."""

    @cached_property
    def labels(self) -> list[str]:
        """``YYYY-MM`` of every month the period touches, oldest first."""
        keys, year, month = [], self.first.year, self.first.month
        while (year, month) <= (self.last.year, self.last.month):
            keys.append(f"{year:04d}-{month:02d}")
            year, month = (year, month + 1) if month < 12 else (year + 1, 1)
        return keys

    @cached_property
    def starts(self) -> dt.datetime:
        """The period's first instant as a stored (naive UTC) time."""
        return _stored(dt.datetime.combine(self.first, dt.time(), self.zone))

    @cached_property
    def ends(self) -> dt.datetime:
        """The instant after the period (midnight after ``last``, site zone) as a stored time."""
        return _stored(dt.datetime.combine(self.last + dt.timedelta(days=1), dt.time(), self.zone))

    def month_of(self, at: dt.datetime | dt.date) -> str:
        """``YYYY-MM`` of a stored time in the site zone (a date is taken as it is)."""
        if isinstance(at, dt.datetime):
            at = at.replace(tzinfo=_UTC).astimezone(self.zone) if at.tzinfo is None else at.astimezone(self.zone)
        return f"{at.year:04d}-{at.month:02d}"

    def covers(self, day: dt.date) -> bool:
        return self.first <= day <= self.last

    @property
    def narrows_customers(self) -> bool:
        return any(getattr(self, name) for name in CUSTOMER_ATTRIBUTES)

    def query_args(self) -> dict[str, str]:
        """The filter as URL query arguments (what :func:`parse_filter` reads back)."""
        args = {"period": self.period}
        if self.period in ("month", "quarter", "year"):
            args[self.period] = self.anchor
        elif self.period == "custom":
            args.update({"from": self.first.isoformat(), "to": self.last.isoformat()})
        for name in ("salesperson", "team"):
            if (value := getattr(self, f"{name}_id")) is not None:
                args[name] = str(value)
        args.update({name: getattr(self, name) for name in CUSTOMER_ATTRIBUTES if getattr(self, name)})
        return args


def _stored(local: dt.datetime) -> dt.datetime:
    return local.astimezone(_UTC).replace(tzinfo=None)


def site_today(zone: ZoneInfo, now: dt.datetime | None = None) -> dt.date:
    """Today's date in the site zone (``now`` an aware time, default the clock)."""
    return (now or dt.datetime.now(_UTC)).astimezone(zone).date()


def last_twelve_months(today: dt.date, zone: ZoneInfo) -> ReportFilter:
    """The default period: the twelve whole months ending with ``today``'s."""
    year, month = (today.year, today.month - 11) if today.month == 12 else (today.year - 1, today.month + 1)
    return ReportFilter(dt.date(year, month, 1), _month_end(today.replace(day=1)), zone)


def parse_filter(args: Mapping[str, str], today: dt.date, zone: ZoneInfo) -> ReportFilter:
    """The filter a query string asks for; a value not understood is ignored and named in ``problems``."""
    problems: list[str] = []
    result = _period(args, today, zone, problems)
    people = {}
    for name in ("salesperson", "team"):
        raw = (args.get(name) or "").strip()
        if raw.isdigit() and 0 < int(raw) < 2**31:
            people[f"{name}_id"] = int(raw)
        elif raw:
            problems.append(_("%(name)s: %(value)s is not an id", name=name, value=repr(raw[:40])))
    attributes = {name: (args.get(name) or "").strip()[:100] for name in CUSTOMER_ATTRIBUTES}
    return replace(result, **people, **attributes, problems=tuple(problems))


def _period(args: Mapping[str, str], today: dt.date, zone: ZoneInfo, problems: list[str]) -> ReportFilter:
    period = (args.get("period") or "last12").strip()
    default = last_twelve_months(today, zone)
    if period not in PERIODS:
        problems.append(_("period: %(value)s is not one of %(periods)s", value=repr(period[:40]),
                          periods=", ".join(PERIODS)))
        return default
    raw = (args.get(period) or "").strip() if period in ("month", "quarter", "year") else ""
    if period == "month":
        found = _MONTH.fullmatch(raw or f"{today:%Y-%m}")
        if found and 1 <= int(found[2]) <= 12 and int(found[1]) >= 1:
            first = dt.date(int(found[1]), int(found[2]), 1)
            return ReportFilter(first, _month_end(first), zone, "month", f"{first:%Y-%m}")
    elif period == "quarter":
        found = _QUARTER.fullmatch(raw or f"{today.year}-Q{(today.month - 1) // 3 + 1}")
        if found and int(found[1]) >= 1:
            first = dt.date(int(found[1]), 3 * int(found[2]) - 2, 1)
            return ReportFilter(first, _month_end(first.replace(month=first.month + 2)), zone, "quarter",
                                f"{first.year}-Q{found[2]}")
    elif period == "year":
        year = raw or str(today.year)
        if year.isdigit() and 1 <= int(year) <= 9999:
            return ReportFilter(dt.date(int(year), 1, 1), dt.date(int(year), 12, 31), zone, "year", year)
    elif period == "custom":
        first, last = _day(args.get("from")), _day(args.get("to"))
        if first and last and first <= last and (last.year - first.year) * 12 + last.month - first.month < MAX_MONTHS:
            return ReportFilter(first, last, zone, "custom")
        problems.append(_("custom period: from and to must be dates, from before to, within %(n)s months",
                          n=MAX_MONTHS))
        return default
    else:
        return default
    problems.append(_("%(period)s: %(value)s is not understood", period=period, value=repr(raw[:40])))
    return default


def _day(raw: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((raw or "").strip())
    except ValueError:
        return None


def _month_end(first: dt.date) -> dt.date:
    return dt.date(first.year, first.month, calendar.monthrange(first.year, first.month)[1])


def narrowed_scope(session: Session, scope: set[int] | None, report_filter: ReportFilter) -> set[int] | None:
    """The owners the figures cover: the viewer's scope (None: everyone's), narrowed to the chosen salesperson
    or team; choosing someone outside the scope shows nothing, not their figures."""
    if report_filter.salesperson_id is not None:
        chosen = {report_filter.salesperson_id}
    elif report_filter.team_id is not None:
        chosen = set(session.scalars(select(User.id).where(User.team_id == report_filter.team_id)))
    else:
        return scope
    return chosen if scope is None else chosen & scope


def for_customers(query: Select, customer_id, report_filter: ReportFilter) -> Select:
    """``query`` narrowed to rows whose ``customer_id`` column names a customer with the chosen region, industry
    and grade (unchanged when none is chosen; rows without a customer drop out when one is)."""
    if not report_filter.narrows_customers:
        return query
    return query.where(customer_id.in_(customer_ids(report_filter)))


def customer_ids(report_filter: ReportFilter) -> Select:
    """The ids of customers with the chosen attributes, as a subquery."""
    chosen = select(Customer.id)
    for name in CUSTOMER_ATTRIBUTES:
        if value := getattr(report_filter, name):
            chosen = chosen.where(getattr(Customer, name) == value)
    return chosen
