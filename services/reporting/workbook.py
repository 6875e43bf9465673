"""The Reports page as an Excel workbook: a first sheet naming the filters, then one sheet per report (the labels
down, one column per series), headers frozen, cells kept numbers with number and date formats."""

from __future__ import annotations

import datetime as dt
import re
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from crm import formatting
from i18n import _
from services.exports import append_row, set_cell
from services.reporting.filters import PERIOD_NAMES, ReportFilter
from services.reporting.report_types import Report

_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")
UNIT_FORMATS = {
    "count": formatting.EXCEL_INTEGER, "money": formatting.EXCEL_MONEY, "percent": formatting.EXCEL_PERCENT,
    "days": formatting.EXCEL_HOURS, "score": formatting.EXCEL_NUMBER, "hours": formatting.EXCEL_HOURS,
}
"""The Excel number format of each series unit."""


def workbook_bytes(reports: list[Report], report_filter: ReportFilter | None = None,
                   filter_names: dict[str, str] | None = None) -> bytes:
    """An .xlsx file of ``reports``; a first sheet names the filters (``filter_names``: how ids read)."""
    book = Workbook()
    book.remove(book.active)
    if report_filter is not None:
        _filter_sheet(book.create_sheet(_("Filters")), report_filter, filter_names or {})
    used: set[str] = set()
    for report in reports:
        sheet = book.create_sheet(_sheet_name(report.title, used))
        report_sheet(sheet, report)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def report_sheet(sheet: Worksheet, report: Report) -> None:
    """Write ``report`` into ``sheet``: the title over the labels, a header per series, a row per label."""
    append_row(sheet, ["", *(series.label for series in report.series)])
    for row, label in enumerate(report.labels):
        append_row(sheet, [_month(label) if report.monthly else label, *(series.data[row] for series in report.series)])
        cells = sheet[sheet.max_row]
        if report.monthly:
            cells[0].number_format = formatting.EXCEL_MONTH
        for cell, series in zip(cells[1:], report.series, strict=False):
            if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                cell.number_format = UNIT_FORMATS.get(series.unit, formatting.EXCEL_NUMBER)
    if report.note:
        append_row(sheet, [])
        append_row(sheet, [report.note])
    set_cell(sheet["A1"], report.title)
    _header(sheet)
    for column in range(2, len(report.series) + 2):
        sheet.column_dimensions[sheet.cell(1, column).column_letter].width = 16


def _filter_sheet(sheet: Worksheet, report_filter: ReportFilter, names: dict[str, str]) -> None:
    append_row(sheet, [_("Filter"), _("Value")])
    rows = [(_("Period"), str(PERIOD_NAMES[report_filter.period])), (_("From"), report_filter.first),
            (_("To"), report_filter.last), (_("Time zone"), report_filter.zone.key),
            (_("Salesperson"), names.get("salesperson", "")), (_("Team"), names.get("team", "")),
            (_("Region"), report_filter.region), (_("Industry"), report_filter.industry),
            (_("Grade"), report_filter.grade)]
    for label, value in rows:
        append_row(sheet, [label, value])
        if isinstance(value, dt.date):
            sheet.cell(sheet.max_row, 2).number_format = formatting.EXCEL_DATE
    _header(sheet)
    sheet.column_dimensions["B"].width = 20


def _header(sheet: Worksheet) -> None:
    """Bold first row, frozen with the first column."""
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "B2"
    sheet.column_dimensions["A"].width = 28


def _month(label: str) -> dt.date:
    year, month = label.split("-")
    return dt.date(int(year), int(month), 1)


def _sheet_name(title: str, used: set[str]) -> str:
    """A sheet name from ``title``: Excel's forbidden characters out, 31 characters, unique in the workbook."""
    base = _NOT_IN_SHEET_NAMES.sub(" ", title)[:31]
    name, number = base, 2
    while name.lower() in used:
        suffix = f" ({number})"
        name, number = base[:31 - len(suffix)] + suffix, number + 1
    used.add(name.lower())
    return name
