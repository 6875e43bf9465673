"""One list component for every record list: a :class:`ListSpec` (columns, filters, data scope) turned into a
page (filter, sort, page) or into every filtered row for an export. Pages and exports read the same query,
so an export holds exactly what the list shows, all pages of it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO, StringIO

from babel.numbers import format_decimal
from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from crm import formatting
from i18n import _, current_locale, zones
from services.exports import SafeCsvWriter, append_row

PER_PAGE = 25
EXPORT_LIMIT = 50_000
"""Most rows an export writes (a larger list is cut, and says so in its last row)."""


@dataclass(frozen=True)
class Column:
    """One column: its label, SQL expression and how it reads (``text``, ``money``, ``number``, ``date``,
    ``datetime``, ``percent``, ``label``: a stored key shown through ``labels``)."""

    key: str
    label: str
    expr: ColumnElement
    kind: str = "text"
    labels: Mapping[str, str] = field(default_factory=dict)
    filter: str = ""
    """``contains`` (text box), ``choice`` (one of ``labels``) or empty (not filterable)."""
    sort: ColumnElement | None = None
    """What the column sorts by, when not ``expr`` (Chinese names sort by their pinyin)."""


@dataclass(frozen=True)
class ListSpec:
    """A list: its name and heading, who may open it, the base query (``scope`` -> Select of the columns),
    its columns, default sort and where a row opens (endpoint and the column holding its id)."""

    name: str
    title: str
    roles: frozenset[str]
    base: Callable[[set[int] | None], Select]
    columns: tuple[Column, ...]
    default_sort: str
    link: tuple[str, str, str] | None = None
    """(endpoint, url argument, column key) of the row's page."""
    default_desc: bool = True

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)


@dataclass(frozen=True)
class ListQuery:
    """What the user asked for (query-string arguments), already checked against the spec."""

    sort: str
    desc: bool
    filters: dict[str, str]
    page: int = 1

    @classmethod
    def from_args(cls, spec: ListSpec, args: Mapping[str, str]) -> ListQuery:
        sort = args.get("sort", "")
        if spec.column(sort) is None:
            sort = spec.default_sort
        desc = args.get("dir", "desc" if spec.default_desc and sort == spec.default_sort else "asc") == "desc"
        filters = {}
        for column in spec.columns:
            value = (args.get(column.key) or "").strip()[:100]
            if (column.filter == "contains" and value) or (column.filter == "choice" and value in column.labels):
                filters[column.key] = value
        page = args.get("page", "1")
        return cls(sort, desc, filters, min(int(page), 100_000) if page.isdigit() and int(page) > 0 else 1)

    def args(self, **changes) -> dict[str, str]:
        """The query-string arguments of this query, with ``changes`` (for links)."""
        values = {**self.filters, "sort": self.sort, "dir": "desc" if self.desc else "asc", "page": str(self.page)}
        values.update({k: str(v) for k, v in changes.items()})
        return values


@dataclass
class ListPage:
    rows: list[dict]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _escaped(value: str) -> str:
    return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def filtered(spec: ListSpec, query: ListQuery, scope: set[int] | None) -> Select:
    """The spec's base query narrowed by the filters and sorted (id last, so pages are stable)."""
    statement = spec.base(scope)
    for key, value in query.filters.items():
        column = spec.column(key)
        if column.filter == "contains":
            statement = statement.where(column.expr.ilike(_escaped(value), escape="\\"))
        else:
            statement = statement.where(column.expr == value)
    column = spec.column(query.sort)
    order = column.expr if column.sort is None else column.sort
    first = order.desc() if query.desc else order.asc()
    return statement.order_by(first.nulls_last() if query.desc else first.nulls_first(),
                              spec.columns[0].expr.desc())


def list_page(session: Session, spec: ListSpec, query: ListQuery, scope: set[int] | None,
              per_page: int = PER_PAGE) -> ListPage:
    """One page of the filtered list and the number of rows in it: both from one statement, unless the page
    asked for lies past the end (then the count, and the last page)."""
    statement = filtered(spec, query, scope)
    rows, total = _rows_with_total(session, statement, query.page, per_page)
    if rows or query.page == 1:
        return ListPage(rows, total, query.page, per_page)
    total = session.scalar(select(func.count()).select_from(statement.order_by(None).subquery())) or 0
    page = max(1, -(-total // per_page))
    return ListPage(_rows_with_total(session, statement, page, per_page)[0] if total else [], total, page, per_page)


_TOTAL = "list_total_"
"""The label of the row count each page row carries (a window count over the filtered rows)."""


def _rows_with_total(session: Session, statement: Select, page: int, per_page: int) -> tuple[list[dict], int]:
    found = session.execute(statement.add_columns(func.count().over().label(_TOTAL))
                            .offset((page - 1) * per_page).limit(per_page)).mappings().all()
    rows = [{key: value for key, value in row.items() if key != _TOTAL} for row in found]
    return rows, found[0][_TOTAL] if found else 0


def export_rows(session: Session, spec: ListSpec, query: ListQuery, scope: set[int] | None) -> list[list]:
    """Header and every filtered row (at most :data:`EXPORT_LIMIT`), values typed for a spreadsheet."""
    statement = filtered(spec, query, scope).limit(EXPORT_LIMIT + 1)
    rows = [[cell_value(column, row[column.key]) for column in spec.columns]
            for row in session.execute(statement).mappings()]
    if len(rows) > EXPORT_LIMIT:
        rows = [*rows[:EXPORT_LIMIT], [_("(cut at %(limit)s rows: narrow the filters)",
                                          limit=format_decimal(EXPORT_LIMIT, locale=current_locale() or "en"))]]
    return [[str(column.label) for column in spec.columns], *rows]


def cell_value(column: Column, value):
    """A value as a spreadsheet cell holds it: labels for keys, numbers stay numbers, dates stay dates."""
    if value is None:
        return ""
    if column.kind == "label":
        return str(column.labels.get(str(value), str(value).replace("_", " ")))
    if isinstance(value, dt.datetime):  # stored UTC: the reader's wall-clock time
        return zones.to_local(value).replace(tzinfo=None)
    if isinstance(value, Decimal | int | float | dt.date):
        return value
    return str(value)


_EXCEL_FORMATS = {"money": formatting.EXCEL_MONEY, "hours": formatting.EXCEL_HOURS, "number": formatting.EXCEL_INTEGER,
                  "percent": formatting.EXCEL_PERCENT, "date": formatting.EXCEL_DATE,
                  "datetime": formatting.EXCEL_DATETIME}


def xlsx_bytes(spec: ListSpec, rows: list[list]) -> bytes:
    """The rows of :func:`export_rows` as a workbook; formula-looking text stays text (services.exports)."""
    book = Workbook()
    sheet = book.active
    sheet.title = spec.title[:31]
    for row in rows:
        append_row(sheet, row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, column in enumerate(spec.columns, start=1):
        number_format = _EXCEL_FORMATS.get(column.kind)
        if number_format:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = number_format
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_text(rows: list[list]) -> str:
    """The rows of :func:`export_rows` as CSV; formula-looking text gets the apostrophe (services.exports)."""
    stream = StringIO()
    SafeCsvWriter(stream).writerows([[_csv_cell(value) for value in row] for row in rows])
    return stream.getvalue()


def _csv_cell(value):
    if isinstance(value, Decimal):
        return formatting.plain(value)
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}"  # ISO-like in every language, as spreadsheets read it
    return value
