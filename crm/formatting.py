"""How money, numbers, hours, percentages and dates read: one place for pages, forms, e-mails, PDFs and exports.

Thousands separators, money to the cent (half up) with its currency, hours with one decimal, and never
scientific notation (``Decimal("1E+12")`` reads ``1,000,000,000,000``). Numbers go through Babel in the
language of the request (:func:`i18n.current_locale`); the defaults (currency CNY, locale ``zh_CN``) come from
the settings through :func:`configure`, called once by the application factory. Excel cells get the matching
number formats (``EXCEL_*``) instead of preformatted text, so they stay numbers.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache, lru_cache
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime
from babel.numbers import (
    NumberPattern,
    format_currency,
    format_decimal,
    format_percent,
    get_currency_symbol,
    list_currencies,
    parse_pattern,
)

from i18n import _, current_locale, zones

EMPTY = "—"
"""What a missing value reads as."""
EXCEL_MONEY = "#,##0.00"
EXCEL_HOURS = "#,##0.0"
EXCEL_INTEGER = "#,##0"
EXCEL_NUMBER = "#,##0.00"
EXCEL_PERCENT = '0.0"%"'
EXCEL_DATE = "yyyy-mm-dd"
EXCEL_MONTH = "yyyy-mm"
EXCEL_DATETIME = "yyyy-mm-dd hh:mm"

SYMBOLS = {"CNY": "¥"}
"""Currency symbols used in every language: renminbi reads ``¥1,234.50`` for Chinese and English readers alike,
as the customer writes it (Babel's English ``CN¥`` only tells it from the yen, which this product does not
trade in). Other currencies take Babel's symbol for the reader's language (``US$`` in Chinese, ``$`` in English)."""

COMMON_CURRENCIES = ("CNY", "USD", "EUR", "HKD", "JPY", "GBP", "SGD")

_CENT = Decimal("0.01")


@dataclass(frozen=True)
class Defaults:
    """The deployment's currency (ISO 4217 code) and locale (``en``, ``zh_CN``, …)."""

    currency: str = "CNY"
    locale: str = "en"


_defaults = Defaults()


def configure(currency: str = "CNY", locale: str = "en") -> None:
    """Set the deployment's defaults (the application factory calls this with the settings)."""
    global _defaults
    try:  # an unknown locale fails here, at start-up, not on a page
        Locale.parse(locale)
    except (UnknownLocaleError, ValueError):
        raise ValueError(f"CRM_LOCALE {locale!r} is not a locale Babel knows (e.g. en, zh_CN)") from None
    if not re.fullmatch(r"[A-Za-z]{3}", currency):
        raise ValueError(f"CRM_CURRENCY {currency!r} is not an ISO 4217 code (e.g. CNY)")
    _defaults = Defaults(currency.upper(), locale)


def site_currency() -> str:
    """The deployment's currency (``CRM_CURRENCY``): the default of a new quote or contract."""
    return _defaults.currency


def currency_code(text: str) -> str | None:
    """``text`` as an ISO 4217 code Babel knows (``usd`` -> ``USD``), None when it is not one."""
    code = text.strip().upper()
    return code if code in list_currencies() else None


def currency_choices() -> list[str]:
    """The currencies a quote offers: the site's first, then those the yard's trade uses most."""
    return list(dict.fromkeys([_defaults.currency, *COMMON_CURRENCIES]))


def _locale(locale: str | None) -> Locale:
    """The locale asked for, else the current request's language, else the deployment's."""
    return _babel_locale(locale or current_locale() or _defaults.locale)


@cache
def _babel_locale(name: str) -> Locale:
    """Babel's locale ``name``, parsed once per process: its data (symbols, patterns) is immutable, and
    ``Locale.parse`` of a name builds a new object whose data is loaded again on first use."""
    return Locale.parse(name)


@cache
def _number_pattern(pattern: str) -> NumberPattern:
    """A number format pattern (``#,##0.00``) parsed once per process (Babel parses it on every call)."""
    return parse_pattern(pattern)


def defaults() -> Defaults:
    """The current defaults."""
    return _defaults


def as_decimal(value: Any) -> Decimal | None:
    """``value`` (Decimal, int, float or numeric text) as a finite Decimal, None when it is not a number."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def plain(value: Any) -> str:
    """A number as plain digits without grouping or exponent (``1E+3`` → ``1000``), for inputs and JSON."""
    number = as_decimal(value)
    return "" if number is None else format(number, "f")


def money(value: Any, currency: str | None = None, locale: str | None = None, symbol: bool = True) -> str:
    """``value`` to the cent (half up) with separators and the currency: ``CN¥217,350,617.26``.

    ``symbol=False`` writes the ISO code instead (``CNY 217,350,617.26``), as e-mails and SMS prefer.
    """
    number = as_decimal(value)
    if number is None:
        return EMPTY
    currency = (currency or _defaults.currency).upper()
    rounded = _cents(number)
    if not symbol:
        return f"{currency} {amount(rounded, locale)}"
    return _money_text(rounded, currency, _locale(locale))


@lru_cache(maxsize=4096)
def _money_text(rounded: Decimal, currency: str, locale: Locale) -> str:
    """A figure already rounded to the cent with its currency symbol, written by Babel once per figure, currency
    and language (a list repeats the same figures; Babel's currency formatting is the costly part)."""
    text = format_currency(rounded, currency, locale=locale, currency_digits=False,
                           format_type="standard", decimal_quantization=True, group_separator=True)
    symbol_text = SYMBOLS.get(currency)
    return text.replace(get_currency_symbol(currency, locale), symbol_text, 1) if symbol_text else text


def amount(value: Any, locale: str | None = None) -> str:
    """A money figure without currency: ``217,350,617.26``."""
    number = as_decimal(value)
    if number is None:
        return EMPTY
    return format_decimal(_cents(number), format=_number_pattern("#,##0.00"), locale=_locale(locale))


def _cents(number: Decimal) -> Decimal:
    """``number`` to the cent, half up (see :func:`_rounded`)."""
    return _rounded(number, 2)


def _rounded(figure: Decimal, places: int) -> Decimal:
    """``figure`` to ``places`` decimals, half up; what rounds to nothing is plain zero: Babel writes ``-0.0`` for a
    negative one, and ``-0`` equals ``0`` as a key of the figure caches, which would show whichever came first."""
    rounded = figure.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return rounded if rounded else abs(rounded)


def number(value: Any, places: int | None = None, locale: str | None = None) -> str:
    """A count or measure with separators; ``places`` fixes the decimals, else up to 3 as needed."""
    figure = as_decimal(value)
    if figure is None:
        return EMPTY
    if places is None:
        pattern = "#,##0.###"
        figure = figure if _rounded(figure, 3) else Decimal(0)
    else:
        pattern = "#,##0." + "0" * places if places else "#,##0"
        figure = _rounded(figure, places)
    return format_decimal(figure, format=_number_pattern(pattern), locale=_locale(locale))


def hours(value: Any, locale: str | None = None, unit: bool = True) -> str:
    """Hours with one decimal: ``1,000.0 h``."""
    figure = as_decimal(value)
    if figure is None:
        return EMPTY
    text = format_decimal(_rounded(figure, 1), format=_number_pattern("#,##0.0"), locale=_locale(locale))
    return f"{text} h" if unit else text


def percent(value: Any, places: int = 1, locale: str | None = None) -> str:
    """A percentage held as 0-100 (the ``Percent`` columns): ``12.5%``; trailing zeros dropped."""
    figure = as_decimal(value)
    if figure is None:
        return EMPTY
    pattern = "#,##0" + ("." + "#" * places if places else "") + "%"
    figure = figure if _rounded(figure, places) else Decimal(0)
    return format_percent(figure / 100, format=_number_pattern(pattern), locale=_locale(locale),
                          decimal_quantization=True)


DATE_PATTERNS = {"zh": "y年M月d日", "en": "d MMM y"}
"""Dates by language: ``2026年12月4日``, ``4 Dec 2026`` (day-month-year also in English: the customer's
staff read both, and ``12/4/2026`` would be ambiguous). Other languages use Babel's medium date."""
WEEKDAY_PATTERNS = {"zh": "y年M月d日EEEE", "en": "EEEE d MMM y"}
TIME_PATTERN = "HH:mm"
_DAY_PATTERNS = frozenset(DATE_PATTERNS.values())
"""Explicit day patterns, after which a moment's ``HH:mm`` is written as it is (Babel's ``HH:mm`` is ``%H:%M``)."""


def _date_pattern(locale: Locale) -> str:
    return DATE_PATTERNS.get(locale.language, "medium")


def _moment(value: dt.date | str) -> dt.date:
    """ISO text as a date or datetime (other text raises ValueError)."""
    if isinstance(value, str):
        text = value.strip()
        return dt.datetime.fromisoformat(text) if len(text) > 10 else dt.date.fromisoformat(text)
    return value


def date(value: dt.date | dt.datetime | str | None, locale: str | None = None, weekday: bool = False) -> str:
    """A date in the reader's language (``2026年12月4日``, ``4 Dec 2026``; with ``weekday`` ``2026年12月4日星期五``,
    ``Friday 4 Dec 2026``); a moment (a stored naive-UTC datetime) gives its date in the reader's zone.
    Date-only values are never shifted."""
    if value is None or value == "":
        return EMPTY
    try:
        day = _moment(value)
    except ValueError:
        return str(value)
    if isinstance(day, dt.datetime):
        day = zones.to_local(day).date()
    locale = _locale(locale)
    pattern = _date_pattern(locale)
    if weekday:
        pattern = WEEKDAY_PATTERNS.get(locale.language, "full")
    return _day_text(day, pattern, locale)


@lru_cache(maxsize=4096)
def _day_text(day: dt.date, pattern: str, locale: Locale) -> str:
    """A day in a date pattern, written by Babel once per day, pattern and language (pages list many moments of
    few days; Babel builds a formatter and reads its locale data for every call)."""
    return format_date(day, pattern, locale=locale)


def datetime(value: dt.datetime | str | None, locale: str | None = None) -> str:
    """A moment (stored naive UTC, or aware) in the reader's zone and language: ``2026年12月5日 09:00``,
    ``5 Dec 2026 09:00``. A date alone reads as :func:`date`."""
    if value is None or value == "":
        return EMPTY
    try:
        moment = _moment(value)
    except ValueError:
        return str(value)
    if not isinstance(moment, dt.datetime):
        return date(moment, locale)
    local = zones.to_local(moment)
    locale = _locale(locale)
    pattern = _date_pattern(locale)
    if pattern in _DAY_PATTERNS:  # the day as :func:`date` writes it, then the time (digits in every language)
        return f"{_day_text(local.date(), pattern, locale)} {local:%H:%M}"
    return format_datetime(local, f"{pattern} {TIME_PATTERN}", tzinfo=local.tzinfo, locale=locale)


def due(value: dt.datetime | None, now: dt.datetime | None = None, locale: str | None = None) -> str:
    """When a stored moment is, from the reader's today in their zone: "today at 18:00", "tomorrow at 04:00",
    else "on 9 Dec 2026 09:00" (``now`` a stored moment, default the clock)."""
    if value is None:
        return EMPTY
    day = zones.to_local(value).date()
    today = zones.local_today(now=now)
    if day == today:
        return _("today at %(time)s", time=clock(value))
    if day == today + dt.timedelta(days=1):
        return _("tomorrow at %(time)s", time=clock(value))
    return _("on %(moment)s", moment=datetime(value, locale))


def clock(value: dt.datetime | dt.time | None) -> str:
    """The time of day of a moment in the reader's zone (``09:00``); a ``time`` is shown as it is."""
    if value is None:
        return EMPTY
    if isinstance(value, dt.datetime):
        value = zones.to_local(value).time()
    return value.strftime("%H:%M")


def json_text(value: str | None) -> str:
    """Stored JSON as people read it: ``{"name": "\\u5218"}`` becomes ``{"name": "刘"}`` (other text unchanged)."""
    if not value:
        return ""
    try:
        return json.dumps(json.loads(value), ensure_ascii=False)
    except (TypeError, ValueError):
        return value


JINJA_FILTERS = {
    "money": money, "amount": amount, "number": number, "hours": hours, "percent": percent,
    "date": date, "datetime": datetime, "clock": clock, "plain_number": plain, "json_text": json_text,
}
"""The filters the application registers in its Jinja environment (and the contract PDF's)."""
