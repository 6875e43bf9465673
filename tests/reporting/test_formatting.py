"""Money, numbers, hours, percentages and dates read the same everywhere, never in scientific notation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from crm import formatting
from forms import FieldDefinition, FormDefinition, build_wtform
from forms.definition import json_value
from i18n import zones
from services.reporting.report_types import Report, Series
from services.reporting.workbook import workbook_bytes


@pytest.fixture(autouse=True)
def _defaults():
    formatting.configure("CNY", "en")
    yield
    formatting.configure("CNY", "en")


def test_money_has_separators_cents_and_currency():
    assert formatting.money(Decimal("217350617.255")) == "¥217,350,617.26"  # half up, once
    assert formatting.money(Decimal("1E+12")) == "¥1,000,000,000,000.00"
    assert formatting.money(253485) == "¥253,485.00"
    assert formatting.money(Decimal("-5.5"), symbol=False) == "CNY -5.50"
    assert formatting.money("12.5", currency="usd") == "$12.50"
    assert formatting.amount(Decimal("8E+3")) == "8,000.00"
    assert formatting.money(None) == formatting.EMPTY and formatting.money("abc") == formatting.EMPTY


def test_currency_and_locale_come_from_the_settings():
    formatting.configure("EUR", "de_DE")
    assert formatting.money(Decimal("1234.5")) == "1.234,50\xa0€"
    assert formatting.number(Decimal("1E+3")) == "1.000"
    with pytest.raises(ValueError):
        formatting.configure("CNY", "xx_NOWHERE")


def test_numbers_hours_and_percentages():
    assert formatting.hours(Decimal("1E+3")) == "1,000.0 h"
    assert formatting.hours(Decimal("3.25"), unit=False) == "3.3"
    assert formatting.number(Decimal("1E+12")) == "1,000,000,000,000"
    assert formatting.number(Decimal("0.1234")) == "0.123"
    assert formatting.number(2.5, places=2) == "2.50"
    assert formatting.number(7, places=0) == "7"
    assert formatting.percent(Decimal("12.50")) == "12.5%"
    assert formatting.plain(Decimal("1E+12")) == "1000000000000"
    assert formatting.plain(float("nan")) == ""


def test_dates_and_datetimes():
    with zones.force_zone("UTC"):
        assert formatting.date(dt.date(2026, 12, 7)) == "7 Dec 2026"
        assert formatting.date("2026-12-07T10:00:00") == "7 Dec 2026"
        assert formatting.datetime(dt.datetime(2026, 12, 7, 9, 5, 30)) == "7 Dec 2026 09:05"
        assert formatting.datetime("2026-12-07T09:05:30") == "7 Dec 2026 09:05"
        assert formatting.datetime(dt.date(2026, 12, 7)) == "7 Dec 2026"
    assert formatting.datetime(None) == formatting.EMPTY and formatting.date("") == formatting.EMPTY


@pytest.mark.parametrize(("locale", "day", "moment", "money", "dollars", "share"), [
    ("zh_CN", "2026年12月4日", "2026年12月5日 09:00", "¥1,234.50", "US$12.50", "12.5%"),
    ("en", "4 Dec 2026", "5 Dec 2026 09:00", "¥1,234.50", "$12.50", "12.5%"),
])
def test_formats_in_chinese_and_english(locale, day, moment, money, dollars, share):
    """Babel's patterns per language; renminbi reads ¥ in both (not Babel's English CN¥)."""
    with zones.force_zone("Asia/Shanghai"):
        assert formatting.date(dt.date(2026, 12, 4), locale) == day
        assert formatting.datetime(dt.datetime(2026, 12, 5, 1, 0), locale) == moment  # stored UTC
        assert formatting.date(dt.datetime(2026, 12, 4, 16, 30), locale) == formatting.date(dt.date(2026, 12, 5),
                                                                                             locale)
    assert formatting.money(Decimal("1234.5"), locale=locale) == money
    assert formatting.money("12.5", "USD", locale=locale) == dollars
    assert formatting.percent(Decimal("12.50"), locale=locale) == share
    assert formatting.number(Decimal("1234567.5"), locale=locale) == "1,234,567.5"


def test_a_moment_reads_in_the_readers_zone():
    moment = dt.datetime(2026, 12, 5, 1, 0)  # stored UTC
    with zones.force_zone("Europe/Berlin"):
        assert formatting.datetime(moment, "en") == "5 Dec 2026 02:00"
        assert formatting.clock(moment) == "02:00"
    with zones.force_zone("America/Los_Angeles"):
        assert formatting.date(moment, "en") == "4 Dec 2026"  # still the evening before there
    assert formatting.date(dt.date(2026, 12, 5), "en") == "5 Dec 2026"  # a date alone never shifts


def test_jinja_filters_are_registered(app):
    env = app.jinja_env
    shown = env.from_string("{{ x|money }} · {{ h|hours }} · {{ d|date }}").render(
        x=Decimal("1E+12"), h=Decimal("1E+3"), d=dt.date(2026, 1, 2))
    assert shown == "¥1,000,000,000,000.00 · 1,000.0 h · 2 Jan 2026"


def test_forms_and_api_show_plain_digits():
    assert json_value(Decimal("1E+12")) == "1000000000000"
    form = FormDefinition((FieldDefinition("budget", "Budget", "decimal"),))
    with _request_context():
        rendered = build_wtform(form, {"budget": Decimal("1E+12")})(data={"f_budget": Decimal("1E+12")}).f_budget()
    assert 'value="1000000000000"' in rendered


def test_workbook_cells_are_numbers_with_formats():
    report = Report("k", "Revenue", ["2026-01"], [Series("Won", [1234567.5], unit="money"), Series("Count", [1200]),
                                                  Series("Rate", [66.7], unit="percent"),
                                                  Series("Cycle", [12.5], unit="days")], monthly=True)
    sheet = load_workbook(BytesIO(workbook_bytes([report]))).worksheets[0]
    assert sheet["A2"].value == dt.datetime(2026, 1, 1) and sheet["A2"].number_format == formatting.EXCEL_MONTH
    assert sheet["B2"].value == 1234567.5 and sheet["B2"].number_format == formatting.EXCEL_MONEY
    assert sheet["C2"].value == 1200 and sheet["C2"].number_format == formatting.EXCEL_INTEGER
    assert sheet["D2"].value == 66.7 and sheet["D2"].number_format == formatting.EXCEL_PERCENT
    assert sheet["E2"].number_format == formatting.EXCEL_HOURS
    assert sheet.freeze_panes == "B2"


def _request_context():
    from flask import Flask

    app = Flask(__name__)
    app.config.update(SECRET_KEY="x", WTF_CSRF_ENABLED=False)
    return app.test_request_context()
