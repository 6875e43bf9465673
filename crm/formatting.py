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
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency, format_decimal

from i18n import current_locale

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

_CENT = Decimal("0.01")
_TENTH = Decimal("0.1")


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


def _locale(locale: str | None) -> str:
    """The locale asked for, else the current request's language, else the deployment's."""
    return locale or current_locale() or _defaults.locale


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
    rounded = number.quantize(_CENT, rounding=ROUND_HALF_UP)
    if not symbol:
        return f"{currency} {amount(rounded, locale)}"
    return format_currency(rounded, currency, locale=_locale(locale), currency_digits=False,
                           format_type="standard", decimal_quantization=True, group_separator=True)


def amount(value: Any, locale: str | None = None) -> str:
    """A money figure without currency: ``217,350,617.26``."""
    number = as_decimal(value)
    if number is None:
        return EMPTY
    return format_decimal(number.quantize(_CENT, rounding=ROUND_HALF_UP), format="#,##0.00",
                          locale=_locale(locale))


def number(value: Any, places: int | None = None, locale: str | None = None) -> str:
    """A count or measure with separators; ``places`` fixes the decimals, else up to 3 as needed."""
    figure = as_decimal(value)
    if figure is None:
        return EMPTY
    if places is None:
        pattern = "#,##0.###"
    else:
        pattern = "#,##0." + "0" * places if places else "#,##0"
        figure = figure.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return format_decimal(figure, format=pattern, locale=_locale(locale))


def hours(value: Any, locale: str | None = None, unit: bool = True) -> str:
    """Hours with one decimal: ``1,000.0 h``."""
    figure = as_decimal(value)
    if figure is None:
        return EMPTY
    text = format_decimal(figure.quantize(_TENTH, rounding=ROUND_HALF_UP), format="#,##0.0",
                          locale=_locale(locale))
    return f"{text} h" if unit else text


def percent(value: Any, places: int = 1, locale: str | None = None) -> str:
    """A percentage held as 0-100 (the ``Percent`` columns): ``12.5%``; trailing zeros dropped."""
    figure = as_decimal(value)
    if figure is None:
        return EMPTY
    pattern = "#,##0" + ("." + "#" * places if places else "")
    return format_decimal(figure, format=pattern, locale=_locale(locale)) + "%"


def date(value: dt.date | dt.datetime | str | None) -> str:
    """A date as ``YYYY-MM-DD`` (ISO text passes through)."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, str):
        return value[:10]
    return value.strftime("%Y-%m-%d")


def datetime(value: dt.datetime | str | None) -> str:
    """A moment as ``YYYY-MM-DD HH:MM``."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, str):
        return value[:16].replace("T", " ")
    if not isinstance(value, dt.datetime):
        return date(value)
    return value.strftime("%Y-%m-%d %H:%M")


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
    "date": date, "datetime": datetime, "plain_number": plain, "json_text": json_text,
}
"""The filters the application registers in its Jinja environment (and the contract PDF's)."""
