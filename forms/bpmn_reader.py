"""Read form definitions from Camunda-style ``camunda:formData`` in BPMN user tasks and start events."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from lxml import etree

from i18n import _, _l, zones

from .coercion import InvalidValue, coerce
from .definition import FIELD_TYPES, REFERENCE_KINDS, FieldDefinition, FormDefinition
from .errors import FormDefinitionError
from .validation import clean_value

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn"
NS = {"bpmn": BPMN_NS, "camunda": CAMUNDA_NS}

_TYPE_ALIASES = {"long": "integer"}
_BOUNDED_TYPES = ("integer", "decimal", "date", "datetime")
_TEXT_TYPES = ("string", "text")
_CHOICE_TYPES = ("enum", "multi_enum")
_FLAGS = {"": True, "true": True, "false": False}
_CONSTRAINT_LABELS = {
    "required": _l("Required"), "readonly": _l("Read-only"), "min": _l("Minimum"), "max": _l("Maximum"),
    "minlength": _l("Minimum length"), "maxlength": _l("Maximum length"), "pattern": _l("Pattern"),
}
"""Constraints in the modeler's words (its Form group labels them so)."""
_VARIABLE = re.compile(r"\$\{\s*([A-Za-z_]\w*)\s*\}")


class _Problem(Exception):
    """Something wrong with one form field; :func:`read_form` adds where it is."""


def read_forms(root: etree._Element) -> dict[str, FormDefinition]:
    """Every user task's and start event's form in a parsed BPMN document, by element id."""
    forms = {}
    for element in root.iter(f"{{{BPMN_NS}}}userTask", f"{{{BPMN_NS}}}startEvent"):
        form = read_form(element)
        if form is not None:
            forms[element.get("id", "")] = form
    return forms


def read_form(element: etree._Element) -> FormDefinition | None:
    """The form of a ``bpmn:userTask`` or ``bpmn:startEvent``; None when it has no formData.

    Date-times written in the diagram (a default, a min or max without an offset) are in the site's zone,
    whoever loads it.

    Raises :class:`FormDefinitionError` naming the element and field for anything wrong.
    """
    form_data = element.find("bpmn:extensionElements/camunda:formData", NS)
    if form_data is None:
        return None
    fields: list[FieldDefinition] = []
    for node in form_data.findall("camunda:formField", NS):
        field_id = node.get("id", "")
        try:
            with zones.force_zone(None):
                field = _read_field(node)
            if any(other.id == field.id for other in fields):
                raise _Problem(_("two fields have this name in the data"))
        except _Problem as exc:
            where = _("Form field '%(field)s' of '%(id)s'", id=element.get("id", ""), field=field_id)
            raise FormDefinitionError(
                f"{where}: {exc}", element_id=element.get("id"), field_id=field_id, line=node.sourceline
            ) from None
        fields.append(field)
    return FormDefinition(tuple(fields))


def _read_field(node: etree._Element) -> FieldDefinition:
    field_id = node.get("id", "")
    if not field_id.isidentifier():
        raise _Problem(_("its name in the data must be letters, digits and _, not starting with a digit"))
    declared = node.get("type", "")
    field_type = _TYPE_ALIASES.get(declared, declared)
    if field_type not in FIELD_TYPES:
        raise _Problem(_("unknown type '%(type)s'; use one of %(types)s", type=declared,
                               types=", ".join(FIELD_TYPES)))
    field = FieldDefinition(
        id=field_id,
        label=node.get("label") or field_id,
        type=field_type,
        options=_options(node, field_type),
        **_properties(node, field_type),
    )
    field = replace(field, **_constraints(node, field))
    return _with_default(field, node.get("defaultValue", ""))


def _options(node: etree._Element, field_type: str) -> tuple[tuple[str, str], ...]:
    values = node.findall("camunda:value", NS)
    if field_type not in _CHOICE_TYPES:
        if values:
            raise _Problem(_("options only apply to choice fields (enum, multi_enum)"))
        return ()
    options = tuple((value.get("id", ""), value.get("name") or value.get("id", "")) for value in values)
    ids = [value for value, _ in options]
    if not ids:
        raise _Problem(_("a choice field (%(type)s) needs at least one option", type=field_type))
    if "" in ids:
        raise _Problem(_("every option needs a key"))
    if len(set(ids)) != len(ids):
        raise _Problem(_("two options have the same key"))
    return options


def _properties(node: etree._Element, field_type: str) -> dict[str, Any]:
    properties = {
        prop.get("id"): prop.get("value", "")
        for prop in node.findall("camunda:properties/camunda:property", NS)
    }
    kind = properties.get("reference")
    if field_type == "reference" and kind not in REFERENCE_KINDS:
        raise _Problem(_("a record field (reference) needs its record kind: %(kinds)s",
                               kinds=", ".join(REFERENCE_KINDS)))
    if field_type != "reference" and kind is not None:
        raise _Problem(_("a record kind only applies to record fields (reference)"))
    return {"reference": kind, "help": properties.get("help", "")}


def _constraints(node: etree._Element, field: FieldDefinition) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for constraint in node.findall("camunda:validation/camunda:constraint", NS):
        name, config = constraint.get("name", ""), constraint.get("config")
        parse = _CONSTRAINTS.get(name)
        if parse is None:
            raise _Problem(_("unknown constraint '%(name)s'; use one of %(names)s", name=name,
                                   names=", ".join(_CONSTRAINTS)))
        try:
            found[name] = parse(field, config)
        except _Problem as exc:
            raise _Problem(f"{_CONSTRAINT_LABELS[name]}: {exc}") from None
    for low, high in (("min", "max"), ("minlength", "maxlength")):
        if found.get(low) is not None and found.get(high) is not None and found[low] > found[high]:
            raise _Problem(_("%(low)s is greater than %(high)s", low=_CONSTRAINT_LABELS[low],
                             high=_CONSTRAINT_LABELS[high]))
    return found


def _flag(field: FieldDefinition, config: str | None) -> bool:
    word = (config or "").strip().lower()
    if word not in _FLAGS:
        raise _Problem(_("must be true or false, not '%(config)s'", config=config))
    return _FLAGS[word]


def _bound(field: FieldDefinition, config: str | None) -> Any:
    if field.type not in _BOUNDED_TYPES:
        raise _Problem(_("only applies to %(types)s fields", types=", ".join(_BOUNDED_TYPES)))
    try:
        return coerce(field, (config or "").strip())
    except InvalidValue as exc:
        raise _Problem(_("'%(config)s' is not valid: %(problem)s", config=config or "", problem=exc)) from None


def _length(field: FieldDefinition, config: str | None) -> int:
    if field.type not in _TEXT_TYPES:
        raise _Problem(_("only applies to %(types)s fields", types=", ".join(_TEXT_TYPES)))
    if not (config or "").strip().isdecimal():
        raise _Problem(_("must be a whole number, not '%(config)s'", config=config or ""))
    return int(config)


def _pattern(field: FieldDefinition, config: str | None) -> str:
    if field.type not in _TEXT_TYPES:
        raise _Problem(_("only applies to %(types)s fields", types=", ".join(_TEXT_TYPES)))
    if not config:
        raise _Problem(_("must be a regular expression"))
    try:
        re.compile(config)
    except re.error as exc:
        raise _Problem(_("is not a valid regular expression: %(problem)s", problem=exc)) from None
    return config


_CONSTRAINTS: dict[str, Callable[[FieldDefinition, str | None], Any]] = {
    "required": _flag,
    "readonly": _flag,
    "min": _bound,
    "max": _bound,
    "minlength": _length,
    "maxlength": _length,
    "pattern": _pattern,
}


def _with_default(field: FieldDefinition, text: str) -> FieldDefinition:
    """``defaultValue``: ``${var}`` names a process variable; other text is a literal of the field's type."""
    if not text.strip():
        return field
    variable = _VARIABLE.fullmatch(text.strip())
    if variable:
        return replace(field, default_from=variable.group(1))
    if "${" in text:
        raise _Problem(_("default '%(text)s': only a plain variable name may appear in ${...}", text=text))
    if field.type == "file":
        raise _Problem(_("a file field cannot have a default"))
    raw = [part.strip() for part in text.split(",")] if field.type == "multi_enum" else text
    try:
        value = clean_value(field, raw)
    except InvalidValue as exc:
        raise _Problem(_("default value '%(text)s' is not valid: %(problem)s", text=text, problem=exc)) from None
    return replace(field, default=tuple(value) if field.type == "multi_enum" else value)

