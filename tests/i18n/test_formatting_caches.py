"""crm.formatting writes days and money once per value and language: the texts stay Babel's."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from babel import Locale
from babel.dates import format_datetime
from babel.numbers import format_currency

from crm import formatting
from i18n import zones


def test_a_moment_reads_as_babel_writes_its_pattern_in_both_languages():
    with zones.force_zone("Asia/Shanghai"):
        for locale in ("en", "zh_CN"):
            pattern = formatting.DATE_PATTERNS[Locale.parse(locale).language] + " HH:mm"
            for moment in (dt.datetime(2026, 12, 31, 16, 5), dt.datetime(2027, 1, 1, 0, 0), dt.datetime(2026, 3, 9, 7)):
                local = zones.to_local(moment)
                expected = format_datetime(local, pattern, tzinfo=local.tzinfo, locale=locale)
                assert formatting.datetime(moment, locale) == expected


def test_money_reads_the_same_the_first_and_the_next_time_in_each_currency_and_language():
    for locale, currency, expected in (("en", "CNY", "¥1,234.50"), ("en", "USD", "$1,234.50"),
                                       ("zh_CN", "USD", format_currency(Decimal("1234.50"), "USD", locale="zh_CN"))):
        first = formatting.money(Decimal("1234.5"), currency, locale)
        assert first == formatting.money("1234.50", currency, locale) == expected
    assert formatting.money(Decimal("0.005")) != formatting.money(Decimal("0.004"))  # rounded before it is kept


def test_what_rounds_to_nothing_reads_as_zero_whichever_sign_came_first():
    for first, second in ((Decimal("0"), Decimal("-0.001")), (Decimal("-0.004"), Decimal("0"))):
        formatting._money_text.cache_clear()
        assert formatting.money(first, "CNY", "en") == formatting.money(second, "CNY", "en") == "¥0.00"
        assert formatting.amount(first, "en") == formatting.amount(second, "en") == "0.00"


def test_no_figure_reads_as_a_negative_zero():
    for tiny in (Decimal("-0.0001"), Decimal("-0.04"), Decimal("-0")):
        assert formatting.number(tiny, locale="en") == ("-0.04" if tiny == Decimal("-0.04") else "0")
        assert formatting.number(tiny, 1, "en") == "0.0"
        assert formatting.hours(tiny, "en") == "0.0 h"
        assert formatting.percent(tiny, 1, "en") == "0%"
    assert formatting.number(Decimal("-0.06"), 1, "en") == "-0.1"  # a figure that shows keeps its sign
