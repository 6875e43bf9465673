"""Spreadsheet formula injection (issue 11, item 6): every export writes formula-looking text as text."""

from __future__ import annotations

import ast
import csv
import io
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from crm.accounts.users import User
from crm.customers.models import Customer
from services.exports import SafeCsvWriter, append_row, csv_value, looks_like_formula

PAYLOADS = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1",
            "  =cmd|' /C calc'!A0", "\n  @A1"]


@pytest.mark.parametrize("text", PAYLOADS)
def test_formula_looking_text_is_recognised(text):
    assert looks_like_formula(text)


@pytest.mark.parametrize("value", ["Blue Whale", "a=b", "", "e-mail", 5, -5, Decimal("-1.50"), None])
def test_ordinary_values_are_left_alone(value):
    assert not looks_like_formula(value)
    assert csv_value(value) == value


def test_xlsx_cells_read_back_as_the_original_text_and_numbers_stay_numbers():
    book = Workbook()
    sheet = book.active
    append_row(sheet, [*PAYLOADS, 42, Decimal("-3.25")])
    buffer = BytesIO()
    book.save(buffer)
    row = next(load_workbook(BytesIO(buffer.getvalue())).active.iter_rows())
    assert [cell.value for cell in row[:len(PAYLOADS)]] == PAYLOADS
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in row[:len(PAYLOADS)])
    assert (row[-2].value, row[-2].data_type) == (42, "n")
    assert row[-1].data_type == "n" and row[-1].value == pytest.approx(-3.25)


def test_csv_rows_get_an_apostrophe_in_front_of_formula_looking_text():
    stream = io.StringIO()
    SafeCsvWriter(stream).writerow(["=1+1", "plain", 7, "@x"])
    assert next(csv.reader(io.StringIO(stream.getvalue()))) == ["'=1+1", "plain", "7", "'@x"]


def test_report_workbook_writes_a_customers_formula_as_text(platform, login):
    with platform.sessions.begin() as session:
        owner = session.scalars(select(User).where(User.username == "sales")).one()
        session.add(Customer(company="Evil", industry='=HYPERLINK("http://evil.example","click")',
                             region="@SUM(1+1)", owner=owner))
    response = login("sales").get("/reports/export.xlsx")
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.data))
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    labels = {cell.value: cell for cell in cells if isinstance(cell.value, str)}
    industry = labels['=HYPERLINK("http://evil.example","click")']
    assert industry.data_type == "s" and industry.quotePrefix
    assert labels["@SUM(1+1)"].quotePrefix


READ_ONLY_MODULES = {"services/imports/reading.py"}
"""Modules that only read spreadsheets (csv.reader, openpyxl read-only) and write none."""


def test_every_module_writing_spreadsheets_uses_the_shared_helper():
    """A new export that imports csv or openpyxl without services.exports fails here (the rule holds later too)."""
    root = Path(__file__).resolve().parents[2]
    offenders = []
    for package in ("crm", "services", "web", "handlers", "demo"):
        for path in (root / package).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                        for alias in node.names}
            imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
            writes = {"csv", "openpyxl"} & {name.split(".")[0] for name in imported}
            reader = path.relative_to(root).as_posix() in READ_ONLY_MODULES
            if writes and "services.exports" not in imported and path.name != "exports.py" and not reader:
                offenders.append(path.relative_to(root).as_posix())
    assert offenders == []
