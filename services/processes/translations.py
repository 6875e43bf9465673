"""Translations of a diagram's labels, carried in the diagram as extension properties.

A label's own text (an element's ``name``, a form field's ``label``, a DMN input's ``label``) is in the site
language; a translation is a ``camunda:property`` whose name starts with ``i18n:<language>``::

    <bpmn:userTask id="plan" name="制定拜访计划">
      <bpmn:extensionElements><camunda:properties>
        <camunda:property name="i18n:en" value="Draft the visit plan"/>
        <camunda:property name="i18n:en:documentation" value="What to prepare"/>
        <camunda:property name="i18n:en:rule:1" value="The visit cannot be planned in the past"/>
      ...
      <camunda:formField id="budget" label="预算" type="decimal"><camunda:properties>
        <camunda:property id="i18n:en:label" value="Budget"/>
        <camunda:property id="i18n:en:help" value="In CNY"/>
        <camunda:property id="i18n:en:option:high" value="High"/>   (an enum field: the option ``high``)

The catalog maps a key to ``{language: text}``: ``<element id>`` (name), ``<element id>/documentation``,
``<element id>/description`` (DMN rules and decisions), ``<element id>/rule/<n>`` (message of the n-th
``rule`` property, from 1), ``<element id>/<field id>`` (label), ``<element id>/<field id>/help`` and
``<element id>/<field id>/option/<value id>``; lanes also under ``lane:<lane name>`` (task rows keep the
lane's name).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn"
PREFIX = "i18n:"
ELEMENT_PARTS = re.compile(r"^(?:|documentation|description|rule:[1-9][0-9]*)$")
FIELD_PARTS = re.compile(r"^(?:label|help|option:.+)$")
LANGUAGE = re.compile(r"^[a-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*$")

Catalog = dict[str, dict[str, str]]


@dataclass(frozen=True)
class Entry:
    """One translation property: where it sits, what it translates, into which language."""

    property: etree._Element
    owner: etree._Element
    """The element or form field the property belongs to."""
    field: etree._Element | None
    language: str
    part: str
    """What is translated: ``""`` (the name or label), ``documentation``, ``rule:2``, ``help``, ``option:x``."""
    text: str


def language_of(name: str) -> str:
    """``zh-CN`` and ``zh_CN`` are the same language; the catalog uses ``zh_CN``."""
    return name.replace("-", "_")


def entries(root: etree._Element) -> Iterator[Entry]:
    """Every ``i18n:`` property of a BPMN or DMN document."""
    for prop in root.iter(f"{{{CAMUNDA_NS}}}property"):
        name = prop.get("name") or prop.get("id") or ""
        if not name.startswith(PREFIX):
            continue
        language, _, part = name[len(PREFIX):].partition(":")
        holder = prop.getparent().getparent()  # camunda:properties -> extensionElements or formField
        field = holder if etree.QName(holder).localname == "formField" else None
        owner = holder if field is not None else holder.getparent()
        if field is not None:
            owner = field.getparent().getparent().getparent()  # formData -> extensionElements -> element
        yield Entry(prop, owner, field, language_of(language), part, prop.get("value") or "")


def problem(entry: Entry) -> str | None:
    """What is wrong with a translation property, if anything."""
    name = entry.property.get("name") or entry.property.get("id")
    if not LANGUAGE.match(entry.language):
        return f"translation {name!r}: write i18n:<language>, e.g. i18n:en"
    if entry.field is None and not ELEMENT_PARTS.match(entry.part):
        return (f"translation {name!r}: an element takes i18n:<language> (its name), "
                "i18n:<language>:documentation or i18n:<language>:rule:<n>")
    if entry.field is not None and not FIELD_PARTS.match(entry.part):
        return f"translation {name!r}: a form field takes i18n:<language>:label, :help or :option:<value id>"
    if entry.part.startswith("option:"):
        values = {value.get("id") for value in entry.field.iterfind(f"{{{CAMUNDA_NS}}}value")}
        if entry.part.removeprefix("option:") not in values:
            return f"translation {name!r}: the field has no option {entry.part.removeprefix('option:')!r}"
    if not entry.text.strip():
        return f"translation {name!r} is empty"
    return None


def key_of(entry: Entry) -> str:
    """The catalog key an entry translates (see the module's docstring)."""
    element_id = entry.owner.get("id", "")
    if entry.field is not None:
        field_key = f"{element_id}/{entry.field.get('id', '')}"
        part = entry.part.replace(":", "/", 1)
        return field_key if part == "label" else f"{field_key}/{part}"
    return "/".join([element_id, *entry.part.split(":", 1)]) if entry.part else element_id


def read_catalog(roots: list[etree._Element]) -> Catalog:
    """The translations of a set of documents (a version's own file and the files it depends on)."""
    catalog: Catalog = {}
    for root in roots:
        for entry in entries(root):
            if problem(entry) is not None:
                continue
            text = entry.text.strip()
            catalog.setdefault(key_of(entry), {})[entry.language] = text
            if entry.field is None and not entry.part and etree.QName(entry.owner).localname == "lane":
                catalog.setdefault(f"lane:{entry.owner.get('name') or ''}", {})[entry.language] = text
    return catalog
