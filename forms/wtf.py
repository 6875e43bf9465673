"""Build a Flask-WTF form class from a form definition, for rendering and CSRF.

Validation is not done here: the web layer calls :func:`forms.validation.validate` and hands the
errors back with :func:`apply_errors`. The validators attached mirror the constraints so that the
rendered inputs carry the matching HTML attributes (required, min, max, minlength, pattern, ...).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    DecimalField,
    Field,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.utils import unset_value
from wtforms.validators import (
    Disabled,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ReadOnly,
    Regexp,
)

from i18n import zones

from .definition import FieldDefinition, FormDefinition, json_value, lookup_url
from .validation import initial_values


class PlainDecimalField(DecimalField):
    """A decimal input that shows its value as plain digits (``1000000000000``, never ``1E+12``)."""

    def _value(self) -> str:
        if not self.raw_data and isinstance(self.data, Decimal):
            return format(self.data, "f")
        return super()._value()


class LocalDateTimeField(DateTimeLocalField):
    """A date-time input showing a stored moment (naive UTC) as wall-clock time in the reader's zone.

    What is typed is read back in that zone by :func:`forms.coercion.coerce` (validation does not use WTForms).
    """

    def _value(self) -> str:
        if not self.raw_data and isinstance(self.data, datetime):
            return local_input(self.data)
        return super()._value()


def local_input(moment: datetime) -> str:
    """A stored moment as a ``datetime-local`` input value in the reader's zone (``2026-12-05T09:00``)."""
    return zones.to_local(moment).strftime("%Y-%m-%dT%H:%M")


_FIELD_CLASSES: dict[str, type[Field]] = {
    "string": StringField,
    "text": TextAreaField,
    "integer": IntegerField,
    "decimal": PlainDecimalField,
    "date": DateField,
    "datetime": LocalDateTimeField,
    "boolean": BooleanField,
    "enum": SelectField,
    "multi_enum": SelectMultipleField,
    "reference": IntegerField,
    "file": FileField,
}
_NUMBER_TYPES = ("integer", "decimal")
"""Types WTForms' NumberRange can check; date bounds are only rendered as min/max attributes."""
_NO_READONLY_ATTRIBUTE = ("boolean", "enum", "multi_enum", "file")
"""Inputs HTML cannot make readonly; they are disabled instead."""


def build_wtform(form: FormDefinition, context: Mapping[str, Any] | None = None) -> Callable[..., FlaskForm]:
    """Makes FlaskForms with one field per form field, filled with :func:`initial_values` (a ``data=`` given
    when making one replaces them).

    Each field's HTML name and id are the field id; its attribute on the form is ``f_<id>`` so that
    ids such as ``data`` or ``errors`` cannot clash with the form's own attributes. The form class is built once
    per definition (:func:`form_class`); only the values are the request's.
    """
    initial = initial_values(form, context)
    return functools.partial(form_class(form), data={f"f_{field.id}": initial[field.id] for field in form.fields})


@functools.lru_cache(maxsize=512)
def form_class(form: FormDefinition) -> type[FlaskForm]:
    """The FlaskForm subclass of a definition, built once per process and definition: a deployed version's forms
    never change (a definition in another language is another definition), and building the class and its fields'
    validators and choices cost more than filling in a form."""
    attributes = {f"f_{field.id}": _unbound(field) for field in form.fields}
    return type("DefinedForm", (FlaskForm,), attributes)


def apply_errors(wtform: FlaskForm, errors: Mapping[str, Sequence[str]]) -> None:
    """Put :func:`validate`'s errors on the matching fields; others go to ``wtform.form_errors``."""
    fields = {field.short_name: field for field in wtform}
    for field_id, messages in errors.items():
        if field_id in fields:
            fields[field_id].errors = list(messages)
        else:
            wtform.form_errors.extend(messages)


def _unbound(field: FieldDefinition) -> Any:
    field_class = _FIELD_CLASSES[field.type]
    if field.readonly:
        field_class = _ignoring_submission(field_class)
    kwargs: dict[str, Any] = {
        "label": field.label,
        "name": field.id,
        "description": field.help,
        "validators": _validators(field),
        "render_kw": _render_kw(field),
    }
    if field.type == "decimal":
        kwargs["places"] = None
    elif field.type == "enum":
        kwargs["choices"] = [SelectChoice("", "—"), *_choices(field)]
    elif field.type == "multi_enum":
        kwargs["choices"] = _choices(field)
    return field_class(**kwargs)


def _choices(field: FieldDefinition) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in field.options]


def _validators(field: FieldDefinition) -> list[Any]:
    if field.readonly:
        validators: list[Any] = [Disabled() if field.type in _NO_READONLY_ATTRIBUTE else ReadOnly()]
    elif field.required:
        validators = [FileRequired() if field.type == "file" else InputRequired()]
    else:
        validators = [Optional()]
    if field.type in _NUMBER_TYPES and (field.lowest is not None or field.highest is not None):
        validators.append(NumberRange(min=field.lowest, max=field.highest))
    if field.minlength is not None or field.longest is not None:
        validators.append(Length(min=field.minlength or -1, max=field.longest or -1))
    if field.pattern is not None:
        validators.append(Regexp(field.pattern, matcher=re.fullmatch, html_pattern=True))
    return validators


def _render_kw(field: FieldDefinition) -> dict[str, Any]:
    render_kw: dict[str, Any] = {}
    for attribute, bound in (("min", field.lowest), ("max", field.highest)):
        if isinstance(bound, datetime):
            render_kw[attribute] = local_input(bound)
        elif bound is not None:
            render_kw[attribute] = json_value(bound)
    if field.type == "boolean":
        render_kw["value"] = "true"
    if field.reference is not None:
        render_kw["data-lookup"] = lookup_url(field.reference)
        render_kw["data-reference"] = field.reference
    return render_kw


@functools.cache
def _ignoring_submission(field_class: type[Field]) -> type[Field]:
    """``field_class`` made to keep its default whatever is submitted, as readonly fields do."""

    def process(self: Field, formdata: Any, data: Any = unset_value, extra_filters: Any = None) -> None:
        field_class.process(self, None, data, extra_filters)

    return type(field_class.__name__, (field_class,), {"process": process})
