"""Every spreadsheet export (XLSX and CSV) writes its cells through here, so text a user typed is never run as a
formula: text that begins (after any leading whitespace) with ``= + - @`` or with a tab or carriage return is
written as text. In XLSX the cell is a string cell with Excel's "quote prefix" (Excel and LibreOffice show the
original text and keep it text when the cell is edited); in CSV the OWASP rule puts an apostrophe in front.
Numbers, dates and booleans stay what they are. A translated label (``_l("Customer")``, a header) is written as
the text it reads in the current language."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any

from babel.support import LazyProxy
from openpyxl.cell.cell import Cell, WriteOnlyCell
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = frozenset("=+-@\t\r")
"""First characters that make Excel, LibreOffice or Google Sheets read a cell as a formula (or a DDE command)."""


def looks_like_formula(value: Any) -> bool:
    """Whether ``value`` is text a spreadsheet would evaluate instead of show."""
    if not isinstance(value, str) or not value:
        return False
    return value[0] in FORMULA_STARTS or value.lstrip()[:1] in FORMULA_STARTS


def set_cell(cell: Cell, value: Any) -> Cell:
    """Put ``value`` into an openpyxl cell; formula-looking text stays text."""
    value = _plain(value)
    cell.value = value
    if looks_like_formula(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def append_row(sheet: Worksheet, values: Iterable[Any]) -> None:
    """``sheet.append(values)``, with formula-looking text written as text."""
    values = [_plain(value) for value in values]
    sheet.append(values)
    if not values:
        return
    for cell, value in zip(sheet[sheet.max_row], values, strict=False):
        set_cell(cell, value)


def csv_value(value: Any) -> Any:
    """A CSV field: formula-looking text gets a leading apostrophe (OWASP), everything else is unchanged."""
    value = _plain(value)
    return "'" + value if looks_like_formula(value) else value


def _plain(value: Any) -> Any:
    """A lazily translated label as its text in the current language; anything else as it is."""
    return str(value) if isinstance(value, LazyProxy) else value


class SafeCsvWriter:
    """``csv.writer`` whose rows pass through :func:`csv_value`."""

    def __init__(self, stream, **options: Any) -> None:
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        """Write one row."""
        return self._writer.writerow([csv_value(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        """Write every row."""
        for row in rows:
            self.writerow(row)


def write_only_row(sheet: Any, values: Iterable[Any]) -> None:
    """Append a row to a write-only sheet (``Workbook(write_only=True)``), formula-looking text written as text."""
    sheet.append([set_cell(WriteOnlyCell(sheet), value) for value in values])
