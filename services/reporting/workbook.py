"""The Reports page as an Excel workbook: one sheet per report, the labels down, one column per series."""

from __future__ import annotations

import re
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font

from crm import formatting
from services.exports import append_row, set_cell
from services.reporting.report_types import Report

_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")


def workbook_bytes(reports: list[Report], not_supported: dict[str, str]) -> bytes:
    """An .xlsx file of ``reports``; a last sheet lists the figures not shown and why."""
    book = Workbook()
    book.remove(book.active)
    for report in reports:
        sheet = book.create_sheet(_NOT_IN_SHEET_NAMES.sub(" ", report.title)[:31])
        append_row(sheet, ["", *(series.label for series in report.series)])
        for row, label in enumerate(report.labels):
            append_row(sheet, [label, *(series.data[row] for series in report.series)])
            _number_formats(sheet[sheet.max_row][1:])
        if report.note:
            append_row(sheet, [])
            append_row(sheet, [report.note])
        set_cell(sheet["A1"], report.title)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.column_dimensions["A"].width = 28
    sheet = book.create_sheet("Not available")
    append_row(sheet, ["Figure", "Why it is not shown"])
    for name, reason in not_supported.items():
        append_row(sheet, [name, reason])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _number_formats(cells) -> None:
    """Counts (int) with separators, amounts and averages (float) to two decimals; cells stay numbers."""
    for cell in cells:
        if isinstance(cell.value, bool) or not isinstance(cell.value, (int, float)):
            continue
        cell.number_format = formatting.EXCEL_INTEGER if isinstance(cell.value, int) else formatting.EXCEL_NUMBER
