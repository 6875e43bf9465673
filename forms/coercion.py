"""Turn one submitted value (JSON-native, or a string from an HTML form) into its field type's value."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from i18n import _, zones

from .definition import FieldDefinition

_INTEGER = re.compile(r"[+-]?\d+", re.ASCII)
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?",
                       re.ASCII)
_TRUE = frozenset({"true", "on", "1", "yes"})
_FALSE = frozenset({"false", "off", "0", "no"})
_FILE_KEYS = ("name", "size", "content_type", "storage_key")
LARGEST_ID = 2**31 - 1
"""A reference names a row id (an ``Integer`` column): larger numbers name nothing (and overflow PostgreSQL's
integer)."""


class InvalidValue(ValueError):
    """A value cannot be accepted; ``messages`` say why, fit for the user."""

    def __init__(self, *messages: str):
        self.messages = list(messages)
        super().__init__(" ".join(messages))


def is_missing(raw: Any) -> bool:
    """True for None, a blank string and a list holding nothing but those."""
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    if isinstance(raw, (list, tuple)):
        return all(is_missing(item) for item in raw)
    return False


def empty_value(field_type: str) -> Any:
    """The value of a field left empty: False for a boolean, [] for a multi_enum, else None."""
    return {"boolean": False, "multi_enum": []}.get(field_type)


def coerce(field: FieldDefinition, raw: Any) -> Any:
    """``raw`` (not missing) as the field's Python value; raise :class:`InvalidValue` if it is not one."""
    if field.type == "enum":
        return _enum(raw, field.options)
    if field.type == "multi_enum":
        return _multi_enum(raw, field.options)
    return _SCALARS[field.type](raw)


def _string(raw: Any) -> str:
    return _text(raw).strip()


def _text(raw: Any) -> str:
    if not isinstance(raw, str):
        raise InvalidValue(_("Not a valid text value."))
    if "\x00" in raw:
        raise InvalidValue(_("Must not contain NUL characters."))
    return raw.replace("\r\n", "\n")


def _integer(raw: Any) -> int:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    if isinstance(raw, str) and _INTEGER.fullmatch(raw.strip()):
        try:
            return int(raw)
        except ValueError:  # more digits than Python converts
            pass
    raise InvalidValue(_("Not a valid whole number."))


def _decimal(raw: Any) -> Decimal:
    if isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, int) and not isinstance(raw, bool):
        value = Decimal(raw)
    elif isinstance(raw, float):
        value = Decimal(repr(raw))
    elif isinstance(raw, str) and _DECIMAL.fullmatch(raw.strip()):
        value = Decimal(raw.strip())
    else:
        raise InvalidValue(_("Not a valid number."))
    if not value.is_finite():
        raise InvalidValue(_("Not a valid number."))
    return value


def _date(raw: Any) -> date:
    if isinstance(raw, date) and not isinstance(raw, datetime):
        return raw
    if isinstance(raw, str) and _DATE.fullmatch(raw.strip()):
        try:
            return date.fromisoformat(raw.strip())
        except ValueError:
            pass
    raise InvalidValue(_("Not a valid date (YYYY-MM-DD)."))


def _datetime(raw: Any) -> datetime:
    """A moment as stored (naive UTC). Typed text with an offset (``Z``, ``+08:00``) names its moment; without
    one it is wall-clock time in the zone of the person typing (:func:`i18n.zones.current_zone`). A naive
    datetime object comes from the process itself and is already UTC."""
    if isinstance(raw, datetime):
        return zones.to_utc(raw, zones.UTC)
    if isinstance(raw, str) and _DATETIME.fullmatch(raw.strip()):
        try:
            return zones.to_utc(datetime.fromisoformat(raw.strip()))
        except ValueError:
            pass
    raise InvalidValue(_("Not a valid date and time (YYYY-MM-DDTHH:MM)."))


def _boolean(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int) and raw in (0, 1):
        return bool(raw)
    word = raw.strip().lower() if isinstance(raw, str) else None
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise InvalidValue(_("Not a valid yes/no value."))


def _enum(raw: Any, options: tuple[tuple[str, str], ...]) -> str:
    if isinstance(raw, str) and raw in dict(options):
        return raw
    raise InvalidValue(_("Not a valid choice."))


def _multi_enum(raw: Any, options: tuple[tuple[str, str], ...]) -> list[str]:
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, (list, tuple)) or not all(isinstance(item, str) for item in items):
        raise InvalidValue(_("Not a valid list of choices."))
    chosen = list(dict.fromkeys(item for item in items if item.strip()))
    unknown = [item for item in chosen if item not in dict(options)]
    if unknown:
        raise InvalidValue(_("Not a valid choice: %(values)s.", values=", ".join(unknown)))
    return chosen


def _reference(raw: Any) -> int:
    try:
        value = _integer(raw)
    except InvalidValue:
        value = 0
    if not 1 <= value <= LARGEST_ID:
        raise InvalidValue(_("Not a valid reference."))
    return value


def _file(raw: Any) -> dict[str, Any]:
    if (
        isinstance(raw, Mapping)
        and all(isinstance(raw.get(key), str) for key in ("name", "content_type", "storage_key"))
        and raw["name"] and raw["storage_key"]
        and isinstance(raw.get("size"), int) and not isinstance(raw["size"], bool)
        and raw["size"] >= 0
    ):
        return {key: raw[key] for key in _FILE_KEYS}
    raise InvalidValue(_("Not a valid file upload."))


_SCALARS: dict[str, Callable[[Any], Any]] = {
    "string": _string,
    "text": _text,
    "integer": _integer,
    "decimal": _decimal,
    "date": _date,
    "datetime": _datetime,
    "boolean": _boolean,
    "reference": _reference,
    "file": _file,
}
