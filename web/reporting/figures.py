"""The figures of the reports and KPI pages as text: a page shows a few hundred figures, most of them the same few
values (zeros above all), and formatting a number in the reader's locale is the costliest part of drawing it, so
each distinct figure is formatted once per page."""

from __future__ import annotations

from collections.abc import Callable

from crm.formatting import amount, number
from services.reporting.report_types import Number


def figure_formatter() -> Callable[[Number, str], str]:
    """A function writing a figure of a series' unit as the table shows it (money as an amount, anything else as a
    number; none as a dash), remembering what it wrote for the rest of the page."""
    written: dict[tuple[bool, Number], str] = {}

    def figure(value: Number, unit: str) -> str:
        key = (unit == "money", value)
        if key not in written:
            written[key] = "—" if value is None else amount(value) if key[0] else number(value)
        return written[key]

    return figure


def kpi_formatter() -> Callable[[Number, str], str]:
    """A function writing a KPI figure by its unit (money as an amount, a percentage with one decimal and ``%``,
    anything else with one decimal; none as a dash), remembering what it wrote for the rest of the page."""
    written: dict[tuple[str, Number], str] = {}

    def figure(value: Number, unit: str) -> str:
        key = ("money" if unit == "money" else "percent" if unit == "percent" else "", value)
        if key not in written:
            written[key] = ("—" if value is None else amount(value) if key[0] == "money"
                            else f"{number(value, 1)} %" if key[0] == "percent" else number(value, 1))
        return written[key]

    return figure
