"""Validate submitted form values against a form definition: the single source of truth."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from crm import formatting
from i18n import _, _l, ngettext

from .coercion import InvalidValue, coerce, empty_value, is_missing
from .definition import DECIMAL_PLACES, FieldDefinition, FormDefinition
from .errors import FormValidationError

ReferenceProblem = Callable[[str, int], str | None]
"""``reference_problem(kind, id)``: why the record a reference field names cannot be used (None: it can)."""

_REQUIRED = _l("This field is required.")


def initial_values(form: FormDefinition, context: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Each field's starting value, as Camunda fills a form from process data.

    A process variable named like the field wins, then the ``default_from`` variable, then the
    literal default; a field with none of them gets its empty value (False, [] or None).
    """
    context = context or {}
    return {field.id: _initial(field, context) for field in form.fields}


def _initial(field: FieldDefinition, context: Mapping[str, Any]) -> Any:
    if field.id in context:
        return context[field.id]
    if field.default_from is not None and field.default_from in context:
        return context[field.default_from]
    if field.default is not None:
        return list(field.default) if field.type == "multi_enum" else field.default
    return empty_value(field.type)


def validate(
    form: FormDefinition,
    raw: Mapping[str, Any],
    context: Mapping[str, Any] | None = None,
    *,
    reference_problem: ReferenceProblem | None = None,
) -> dict[str, Any]:
    """The form's fields typed from ``raw`` (JSON or HTML form data), or :class:`FormValidationError`.

    Keys of ``raw`` that are not fields are dropped. A readonly field keeps its initial value
    (see :func:`initial_values`) whatever was submitted. ``raw`` may be a werkzeug ``MultiDict``:
    multi_enum values are then read with ``getlist``.
    """
    initial = initial_values(form, context)
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for field in form.fields:
        if field.readonly:
            values[field.id] = initial[field.id]
            continue
        try:
            value = clean_value(field, _submitted(raw, field))
        except InvalidValue as exc:
            errors[field.id] = exc.messages
            continue
        problem = _presence_problem(field, value, reference_problem)
        if problem:
            errors[field.id] = [problem]
        else:
            values[field.id] = value
    if errors:
        raise FormValidationError(errors)
    return values


def clean_value(field: FieldDefinition, raw: Any) -> Any:
    """``raw`` coerced to the field's type with its constraints checked; missing gives the empty value.

    Raises :class:`InvalidValue` listing every problem. ``required`` is not checked here.
    """
    if is_missing(raw):
        return empty_value(field.type)
    value = coerce(field, raw)
    problems = _constraint_problems(field, value)
    if problems:
        raise InvalidValue(*problems)
    return value


def _submitted(raw: Mapping[str, Any], field: FieldDefinition) -> Any:
    if field.type == "multi_enum" and hasattr(raw, "getlist"):
        return raw.getlist(field.id)
    return raw.get(field.id)


def _bound(limit: Any) -> str:
    """A field's limit as the reader writes it: ``10,000``, ``1 Jan 2024``, ``1 Jan 2024 08:00`` (their zone)."""
    if isinstance(limit, datetime):
        return formatting.datetime(limit)
    if isinstance(limit, date):
        return formatting.date(limit)
    return formatting.number(limit)


def _constraint_problems(field: FieldDefinition, value: Any) -> list[str]:
    problems = []
    is_date = isinstance(value, date)
    low, high, longest = field.lowest, field.highest, field.longest
    if low is not None and value < low:
        if low == 0 and field.min is None:
            problems.append(_("Must not be negative."))
        else:
            problems.append(_("Must be on or after %(low)s.", low=_bound(low)) if is_date
                            else _("Must be at least %(low)s.", low=_bound(low)))
    if high is not None and value > high:
        problems.append(_("Must be on or before %(high)s.", high=_bound(high)) if is_date
                        else _("Must be at most %(high)s.", high=_bound(high)))
    if isinstance(value, Decimal) and value.normalize().as_tuple().exponent < -DECIMAL_PLACES:
        problems.append(_("Must have at most %(n)s decimal places.", n=DECIMAL_PLACES))
    if field.minlength is not None and len(value) < field.minlength:
        problems.append(ngettext("Must be at least %(num)d character.", "Must be at least %(num)d characters.",
                                 field.minlength))
    if longest is not None and len(value) > longest:
        problems.append(ngettext("Must be at most %(num)d character.", "Must be at most %(num)d characters.",
                                 longest))
    if field.pattern is not None and re.fullmatch(field.pattern, value) is None:
        problems.append(_("Does not match the required format."))
    return problems


def _presence_problem(
    field: FieldDefinition, value: Any, reference_problem: ReferenceProblem | None
) -> str | None:
    if value is None or value is False or value == []:
        return str(_REQUIRED) if field.required else None
    if field.type == "reference" and reference_problem is not None:
        return reference_problem(field.reference, value)
    return None
