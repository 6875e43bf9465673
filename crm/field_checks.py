"""Typed values read from submitted text, each checked against its column; a problem is a message for the field.

A :class:`FieldErrors` collects one message per field, so a form shows every mistake at once, by its field,
and keeps what the user typed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal

from i18n import _

_PLAIN = re.compile(r"-?\d{1,20}(\.\d{1,20})?")
"""Digits with an optional point: no exponent (``1e5``), no ``NaN`` or ``Infinity``."""
MONEY_MAX = Decimal("999999999999.99")
"""The largest amount a ``Numeric(14, 2)`` column holds."""
QUANTITY_MAX = Decimal("999999999.999")
"""The largest quantity a ``Numeric(12, 3)`` column holds."""


class FieldErrors(dict[str, str]):
    """field name -> message; empty when the form is fine."""

    def add(self, field: str, message: str) -> None:
        self.setdefault(field, message)


def text(form: Mapping[str, str], name: str, errors: FieldErrors, *, max_length: int, required: bool = False,
         label: str = "") -> str:
    """Stripped text of at most ``max_length`` characters (required: not empty). ``label`` names the field in
    the message of a missing value (translated by the caller)."""
    value = (form.get(name) or "").strip()
    if required and not value:
        errors.add(name, _("Enter the %(label)s.", label=label) if label else _("Fill in this field."))
    elif len(value) > max_length:
        errors.add(name, _("At most %(max)s characters (you typed %(typed)s).", max=max_length, typed=len(value)))
    return value


def money(form: Mapping[str, str], name: str, errors: FieldErrors, *, required: bool = True) -> Decimal | None:
    """A non-negative amount with at most two decimals that fits ``Numeric(14, 2)`` (``1,234.50`` accepted)."""
    raw = (form.get(name) or "").replace(",", "").strip()
    if not raw:
        if required:
            errors.add(name, _("Enter an amount."))
        return None
    if not _PLAIN.fullmatch(raw):
        errors.add(name, _("%(value)s is not a number: write digits, e.g. 1,234.50.", value=repr(raw[:30])))
        return None
    value = Decimal(raw)
    if value < 0:
        errors.add(name, _("The amount cannot be negative."))
    elif value > MONEY_MAX:
        errors.add(name, _("At most %(max)s.", max="999,999,999,999.99"))
    elif value != value.quantize(Decimal("0.01")):
        errors.add(name, _("At most two decimals."))
    else:
        return value.quantize(Decimal("0.01"))
    return None


def quantity(form: Mapping[str, str], name: str, errors: FieldErrors) -> Decimal | None:
    """A positive quantity with at most three decimals that fits ``Numeric(12, 3)``."""
    raw = (form.get(name) or "").replace(",", "").strip()
    if not raw:
        errors.add(name, _("Enter a quantity."))
        return None
    if not _PLAIN.fullmatch(raw):
        errors.add(name, _("%(value)s is not a number: write digits, e.g. 2.5.", value=repr(raw[:30])))
        return None
    value = Decimal(raw)
    if value <= 0:
        errors.add(name, _("The quantity must be more than 0."))
    elif value > QUANTITY_MAX:
        errors.add(name, _("At most %(max)s.", max="999,999,999.999"))
    elif value != value.quantize(Decimal("0.001")):
        errors.add(name, _("At most three decimals."))
    else:
        return value
    return None


def percent(form: Mapping[str, str], name: str, errors: FieldErrors, *, required: bool = False,
            decimals: int = 0) -> Decimal | None:
    """A percentage from 0 to 100 (``decimals`` places allowed), or None when empty and not required."""
    raw = (form.get(name) or "").strip().rstrip("%").strip()
    if not raw:
        if required:
            errors.add(name, _("Enter a percentage."))
        return None
    if not _PLAIN.fullmatch(raw):
        errors.add(name, _("%(value)s is not a number.", value=repr(raw[:30])))
        return None
    value = Decimal(raw)
    step = Decimal(1).scaleb(-decimals)
    if not Decimal(0) <= value <= Decimal(100):
        errors.add(name, _("A percentage from 0 to 100."))
    elif value != value.quantize(step):
        errors.add(name, _("A whole number.") if decimals == 0 else _("At most %(places)s decimals.", places=decimals))
    else:
        return value
    return None


def date(form: Mapping[str, str], name: str, errors: FieldErrors, *, required: bool = False) -> dt.date | None:
    """A date as YYYY-MM-DD between the years 1900 and 2200."""
    raw = (form.get(name) or "").strip()
    if not raw:
        if required:
            errors.add(name, _("Enter a date."))
        return None
    try:
        value = dt.date.fromisoformat(raw)
    except ValueError:
        errors.add(name, _("Enter a date as YYYY-MM-DD."))
        return None
    if not 1900 <= value.year <= 2200:
        errors.add(name, _("Enter a date between %(first)s and %(last)s.", first=1900, last=2200))
        return None
    return value


def choice(form: Mapping[str, str], name: str, errors: FieldErrors, allowed: Mapping[str, object] | set[str],
           *, required: bool = True) -> str:
    """One of ``allowed`` (its keys), else a message."""
    value = (form.get(name) or "").strip()
    if (value and value not in allowed) or (required and not value):
        errors.add(name, _("Choose one of the options."))
        return ""
    return value


def whole(form: Mapping[str, str], name: str, errors: FieldErrors, *, minimum: int = 1,
          maximum: int = 2_147_483_647) -> int | None:
    """A whole number within bounds (ids, versions, positions), or None when empty."""
    raw = (form.get(name) or "").strip()
    if not raw:
        return None
    if not raw.isdigit() or not minimum <= int(raw) <= maximum:
        errors.add(name, _("A whole number from %(min)s to %(max)s.", min=minimum, max=maximum))
        return None
    return int(raw)
