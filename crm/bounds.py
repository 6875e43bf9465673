"""What a column can hold, checked before anything is stored.

Every input layer (web forms, the JSON API, generated task forms, imports) checks its fields with
:func:`problem` and a per-field message. :func:`install_guard` adds a ``before_flush`` check of every new or
changed mapped column as a bug-catcher: a value no input layer checked is refused with
:class:`ValueOutOfBounds` (a clear 422 in the web, an instance in ``error`` in a job) instead of being stored
and breaking every page that reads it later.

Rules: strings hold no NUL and at most their column's length; numbers fit their column's precision
(``Numeric(14, 2)``: at most 999,999,999,999.99) and the range of its integer type (PostgreSQL's, on every
backend); numeric columns are non-negative unless declared ``info={"signed": True}``; percentages
(``crm.money.Percent``) are at most 100, a column with ``info={"max": n}`` at most n.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Integer, Numeric, SmallInteger, String, event, inspect
from sqlalchemy.orm import Mapper, Session, sessionmaker
from sqlalchemy.schema import Column

from i18n import _

from . import formatting
from .money import HUNDRED, Percent

INTEGER_RANGES = ((BigInteger, 2**63 - 1), (SmallInteger, 2**15 - 1), (Integer, 2**31 - 1))
"""Largest value of each integer column type (PostgreSQL's sizes; the smallest is its negative minus one)."""
LARGEST_ID = 2**31 - 1
"""The largest id a URL, query string or reference may name: ids are ``Integer`` columns (PostgreSQL's 32 bits);
larger numbers name nothing, and are refused before a query overflows."""


class ValueOutOfBounds(ValueError):
    """A value does not fit the column it is meant for; ``errors`` maps each field to its messages."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(f"{field}: {' '.join(texts)}" for field, texts in errors.items()))


def number_range(column: Column) -> tuple[Decimal | int, Decimal | int] | None:
    """The (lowest, highest) value a numeric or integer column holds; None for other columns."""
    kind = column.type
    if isinstance(kind, Integer):
        high = next(top for cls, top in INTEGER_RANGES if isinstance(kind, cls))
        low = -high - 1
    elif isinstance(kind, Numeric) and kind.precision is not None:
        scale = kind.scale or 0
        high = Decimal(10) ** (kind.precision - scale) - Decimal(1).scaleb(-scale)
        low = -high if column.info.get("signed") else 0
    else:
        return None
    if kind is Percent:
        high = min(high, HUNDRED)
    return low, min(high, column.info.get("max", high))


def decimal_places(column: Column) -> int | None:
    """How many decimal places a numeric column keeps (None: not a decimal column)."""
    kind = column.type
    if isinstance(kind, Numeric) and not isinstance(kind, Integer):
        return kind.scale or 0
    return None


def problem(column: Column, value: Any) -> str | None:
    """Why ``value`` cannot be stored in ``column``, fit for the user; None when it can."""
    if value is None:
        return None
    if isinstance(value, str):
        return text_problem(value, getattr(column.type, "length", None)) if isinstance(column.type, String) else None
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return None
    bounds = number_range(column)
    if bounds is None:
        return None
    return number_problem(Decimal(value) if isinstance(value, float) else value, *bounds)


def text_problem(value: str, length: int | None) -> str | None:
    """Why text cannot be stored in a column of ``length`` characters (None: unbounded), or None."""
    if "\x00" in value:
        return _("Must not contain NUL characters.")
    if length is not None and len(value) > length:
        return _("Must be at most %(max)s characters (this is %(length)s).", max=formatting.number(length),
                 length=formatting.number(len(value)))
    return None


def number_problem(value: Decimal | int, low: Decimal | int, high: Decimal | int) -> str | None:
    """Why ``value`` is not a finite number between ``low`` and ``high``, or None."""
    if isinstance(value, Decimal) and not value.is_finite():
        return _("Must be a number.")
    if value < low:
        return _("Must not be negative.") if low == 0 else _("Must be at least %(low)s.", low=formatting.number(low))
    if value > high:
        return _("Must be at most %(high)s.", high=formatting.number(high))
    return None


def install_guard(sessions: sessionmaker) -> None:
    """Refuse (``ValueOutOfBounds``) to flush a new or changed column value that does not fit its column."""
    event.listen(sessions, "before_flush", _check_flush)


_Checks = list[tuple[str, Column]]
_CHECKS: dict[Mapper, _Checks] = {}


def _checks(mapper: Mapper) -> _Checks:
    """(attribute key, column) of every column attribute that has bounds, computed once per mapper."""
    found = _CHECKS.get(mapper)
    if found is None:
        found = [(attr.key, attr.columns[0]) for attr in mapper.column_attrs
                 if isinstance(attr.columns[0], Column) and _bounded(attr.columns[0])]
        _CHECKS[mapper] = found
    return found


def _bounded(column: Column) -> bool:
    return isinstance(column.type, String) or number_range(column) is not None


def _check_flush(session: Session, _context: Any, _instances: Any) -> None:
    errors: dict[str, list[str]] = {}
    for obj in (*session.new, *session.dirty):
        state = inspect(obj)
        for key, column in _checks(state.mapper):
            if not state.pending and not state.attrs[key].history.has_changes():
                continue
            text = problem(column, state.dict.get(key))
            if text:
                errors.setdefault(f"{state.mapper.class_.__name__}.{key}", []).append(text)
    if errors:
        raise ValueOutOfBounds(errors)
