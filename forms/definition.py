"""What a form is: its fields and their constraints, independent of BPMN, HTML and JSON."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from i18n import zones

FIELD_TYPES = (
    "string", "text", "integer", "decimal", "date", "datetime",
    "boolean", "enum", "multi_enum", "reference", "file",
)
REFERENCE_KINDS = ("customer", "contact", "user", "contract", "plan_line")
DEFAULT_MIN = {"integer": 0, "decimal": Decimal(0)}
"""Numbers in forms are amounts, counts and hours: not negative unless the field declares a ``min``."""
DEFAULT_MAX = {"integer": 2**31 - 1, "decimal": Decimal("999999999999.99")}
"""Without a declared ``max`` a number must fit an integer column / a ``Numeric(14, 2)`` money column."""
DEFAULT_MAXLENGTH = {"string": 200, "text": 10_000}
"""Without a declared ``maxlength`` a one-line text holds 200 characters, a multi-line one 10,000."""
DECIMAL_PLACES = 3
"""The most decimal places any number column keeps (quantities and hours; money keeps 2)."""


def lookup_url(kind: str) -> str:
    """The API endpoint that searches records of a reference ``kind``."""
    return f"/api/lookup/{kind}"


def json_value(value: Any) -> Any:
    """``value`` as JSON: dates as ISO strings, date-times in UTC with ``Z`` (as the API answers), decimals as
    plain-digit strings, tuples as lists."""
    if isinstance(value, datetime):
        return zones.utc_iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")  # plain digits: never "1E+12"
    if isinstance(value, (list, tuple)):
        return [json_value(item) for item in value]
    return value


@dataclass(frozen=True)
class FieldDefinition:
    """One form field.

    ``options`` are ``(value, label)`` pairs of an enum or multi_enum field; ``min`` and ``max`` have
    the field's own type (int, Decimal, date or datetime); ``reference`` is the kind of record a
    reference field points at. ``default`` is a literal already coerced to the field's type (a tuple
    for multi_enum); ``default_from`` names the process-data variable the default is taken from.
    """

    id: str
    label: str
    type: str
    required: bool = False
    readonly: bool = False
    options: tuple[tuple[str, str], ...] = ()
    min: Any = None
    max: Any = None
    minlength: int | None = None
    maxlength: int | None = None
    pattern: str | None = None
    reference: str | None = None
    default: Any = None
    default_from: str | None = None
    help: str = ""

    def __post_init__(self) -> None:
        if self.type not in FIELD_TYPES:
            raise ValueError(f"unknown field type {self.type!r}")
        if self.type == "reference" and self.reference not in REFERENCE_KINDS:
            raise ValueError(f"unknown reference kind {self.reference!r}")

    @property
    def lowest(self) -> Any:
        """The declared ``min``, else the type's default lower bound (None: unbounded)."""
        return self.min if self.min is not None else DEFAULT_MIN.get(self.type)

    @property
    def highest(self) -> Any:
        """The declared ``max``, else the type's default upper bound (None: unbounded)."""
        return self.max if self.max is not None else DEFAULT_MAX.get(self.type)

    @property
    def longest(self) -> int | None:
        """The declared ``maxlength``, else the type's default (None: not a text field)."""
        return self.maxlength if self.maxlength is not None else DEFAULT_MAXLENGTH.get(self.type)

    def to_api(self) -> dict[str, Any]:
        """The field as the JSON API describes it."""
        return {
            "id": self.id,
            "label": self.label,
            "type": self.type,
            "required": self.required,
            "readonly": self.readonly,
            "options": [{"value": value, "label": label} for value, label in self.options],
            "min": json_value(self.min),
            "max": json_value(self.max),
            "minlength": self.minlength,
            "maxlength": self.maxlength,
            "pattern": self.pattern,
            "default": json_value(self.default),
            "reference": (
                {"kind": self.reference, "lookup_url": lookup_url(self.reference)}
                if self.reference else None
            ),
            "help": self.help,
        }


@dataclass(frozen=True)
class FormDefinition:
    """The fields of one user task's or start event's form, in display order."""

    fields: tuple[FieldDefinition, ...] = ()

    def to_api(self) -> dict[str, Any]:
        """The form as the JSON API describes it."""
        return {"fields": [field.to_api() for field in self.fields]}
