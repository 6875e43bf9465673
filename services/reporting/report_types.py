"""The shape every report has (labels + named series, plain numbers) and the twelve-month window of the KPIs."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from decimal import Decimal

from sqlalchemy import Select

from crm.money import to_cents

Number = int | float | None
"""A figure: a count, an amount in cents precision, an average, or None where there is nothing to average."""
MONTHS = 12


@dataclass(frozen=True)
class Series:
    label: str
    data: list[Number]
    axis: str = "y"
    """``y`` or ``y2`` (a second scale, e.g. a rate beside counts)."""
    kind: str = ""
    """Chart type of this series when it differs from the report's (``line`` over bars)."""


@dataclass(frozen=True)
class Report:
    """One chart and one workbook sheet: a value per label in each series."""

    key: str
    title: str
    labels: list[str]
    series: list[Series]
    chart: str = "bar"
    note: str = ""
    section: str = ""
    stacked: bool = False

    def as_dict(self) -> dict:
        return asdict(self)


def money(value: Decimal | int | None) -> float:
    """An amount as a JSON number, rounded to the cent."""
    return float(to_cents(value or 0))


def mean(values: Iterable[int | float | Decimal], places: int = 1) -> float | None:
    """The rounded average of ``values``, None when there are none."""
    found = [float(v) for v in values]
    return round(sum(found) / len(found), places) if found else None


def pivot(rows: Iterable[tuple[str, str, float]], labels: list[str], **options) -> list[Series]:
    """Sum ``(label, series name, value)`` rows into one series per name (by name), zero where nothing was found.

    Rows whose label is not in ``labels`` (outside the window) are left out; ``options`` go to every series.
    """
    totals: dict[str, dict[str, float]] = defaultdict(lambda: dict.fromkeys(labels, 0))
    for label, name, value in rows:
        if label in labels:
            totals[name][label] += value
    return [Series(name, [round(totals[name][label], 2) for label in labels], **options) for name in sorted(totals)]


def month_key(day: dt.date | dt.datetime) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def last_months(today: dt.date, count: int = MONTHS) -> list[str]:
    """``YYYY-MM`` of the ``count`` months ending with ``today``'s, oldest first."""
    year, month = today.year, today.month
    keys = []
    for _ in range(count):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return keys[::-1]


def window_start(today: dt.date, count: int = MONTHS) -> dt.datetime:
    """Midnight on the first day of the oldest month of :func:`last_months`."""
    year, month = (int(part) for part in last_months(today, count)[0].split("-"))
    return dt.datetime(year, month, 1)


def scoped(query: Select, owner_column, scope: set[int] | None) -> Select:
    """``query`` narrowed to rows whose ``owner_column`` is in the viewer's scope (None: everyone's)."""
    return query if scope is None else query.where(owner_column.in_(scope))
