"""The shape every report has: labels and named series of plain numbers, each series with its unit."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Select

from crm.money import to_cents

Number = int | float | None
"""A figure: a count, an amount in cents precision, an average, or None where there is nothing to average."""
UNITS = ("count", "money", "percent", "days", "score", "hours")
"""What a series' figures are: the page and the workbook format them by it."""


@dataclass(frozen=True)
class Series:
    label: str
    data: list[Number]
    axis: str = "y"
    """``y`` or ``y2`` (a second scale, e.g. a rate beside counts)."""
    kind: str = ""
    """Chart type of this series when it differs from the report's (``line`` over bars)."""
    unit: str = "count"
    """One of :data:`UNITS`."""


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
    monthly: bool = False
    """The labels are months (``YYYY-MM``): the workbook writes them as dates."""

    def as_dict(self) -> dict:
        """The report as plain data (JSON, chart data), its series as dicts; shares the lists of figures."""
        return dict(vars(self), series=[dict(vars(series)) for series in self.series])


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


def scoped(query: Select, owner_column, scope: set[int] | None) -> Select:
    """``query`` narrowed to rows whose ``owner_column`` is in the viewer's scope (None: everyone's)."""
    return query if scope is None else query.where(owner_column.in_(scope))
