"""The figures of the reports and KPI pages as text: a page shows a few hundred figures, most of them the same few
values (zeros above all), and formatting a number in the reader's locale is the costliest part of drawing it
(Babel: some seventy Python calls a figure). So a figure's text is remembered per process by what alone decides
it, the number, its kind and the language (:func:`figure_text`): a pure function of its key, which holds no more
than the number it is asked for, so it can show nobody anything they did not already have."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from markupsafe import Markup, escape

from crm.formatting import amount, defaults, number
from i18n import current_locale
from services.reporting.report_types import Number, Report

CELL = '<td class="text-end">{}</td>'
"""A figure's cell in a report's table."""
ROW = '\n              <tr><th scope="row">{}</th>{}</tr>\n            '
"""A row of a report's table (label, cells), laid out as the page's template lays out its lines."""
FIGURE_KINDS = ("money", "percent", "decimal", "number")
"""How a figure reads: an amount, one decimal and ``%``, one decimal, or a number with up to three decimals."""


@lru_cache(maxsize=8192)
def figure_text(value: Number, kind: str, locale: str) -> str:
    """``value`` as a figure of ``kind`` (:data:`FIGURE_KINDS`) reads in ``locale``; none as a dash."""
    if value is None:
        return "—"
    if kind == "money":
        return amount(value, locale)
    if kind == "percent":
        return f"{number(value, 1, locale)} %"
    return number(value, 1, locale) if kind == "decimal" else number(value, locale=locale)


def page_locale() -> str:
    """The language the figures of this request are written in."""
    return current_locale() or defaults().locale


def figure_tables(reports: list[Report]) -> dict[str, Markup]:
    """The body of each report's table (by report key) as HTML: per label a row of the label and a cell per series
    (money as an amount, anything else as a number; none as a dash)."""
    locale, written, labels = page_locale(), {"money": {}, "number": {}}, {}
    tables = {}
    for report in reports:
        for label in set(report.labels).difference(labels):
            labels[label] = escape(label)
        columns = []
        for series in report.series:
            kind = "money" if series.unit == "money" else "number"
            cells = written[kind]
            for value in set(series.data).difference(cells):
                cells[value] = CELL.format(escape(figure_text(value, kind, locale)))
            columns.append([cells[value] for value in series.data])
        rows = zip(*columns, strict=True) if columns else [()] * len(report.labels)
        tables[report.key] = Markup("".join([ROW.format(labels[label], "".join(row))
                                             for label, row in zip(report.labels, rows, strict=True)]))
    return tables


def kpi_formatter() -> Callable[[Number, str], str]:
    """A function writing a KPI figure by its unit (money as an amount, a percentage with one decimal and ``%``,
    anything else with one decimal; none as a dash)."""
    locale = page_locale()

    def figure(value: Number, unit: str) -> str:
        return figure_text(value, unit if unit in ("money", "percent") else "decimal", locale)

    return figure
