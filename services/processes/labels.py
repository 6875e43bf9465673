"""Labels of deployed diagrams in the language of the request: the one place that translates them.

A diagram's own labels are in the site language; its ``i18n:<language>`` extension properties
(:mod:`services.processes.translations`) carry the other languages and are deployed with the version. Every
page and API answer that shows a task title, lane, process name, form label, help text, option or rule
message takes it from here; a missing translation falls back to the diagram's own text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session, undefer
from sqlalchemy.orm.attributes import set_committed_value

import i18n
from engine.models import HumanTask, ProcessInstance, ProcessVersion
from forms import FormDefinition, Rule
from services.processes.translations import Catalog, read_catalog
from services.processes.version_sources import parsed_files

_catalogs: dict[str, Catalog] = {}
"""Catalogs by content hash: a deployed version never changes."""


def catalog(version: ProcessVersion) -> Catalog:
    """The translations deployed with ``version`` (read from its stored sources once per process)."""
    found = _catalogs.get(version.content_hash)
    if found is None:
        found = _catalogs[version.content_hash] = read_catalog(list(parsed_files(version)))
    return found


def _catalogs_of(session: Session, versions: Iterable[ProcessVersion]) -> dict[int, Catalog]:
    """Catalogs of loaded versions by version id; the sources of those not cached yet are read in one query."""
    versions = {v.id: v for v in versions}
    _read_catalogs(session, [vid for vid, v in versions.items() if v.content_hash not in _catalogs])
    return {vid: _catalogs[v.content_hash] for vid, v in versions.items()}


def _read_catalogs(session: Session, version_ids: list[int]) -> None:
    """Cache the catalogs of these versions, their sources read in one query (none when the list is empty)."""
    if version_ids:
        for version in session.scalars(select(ProcessVersion).where(ProcessVersion.id.in_(version_ids)).options(
                undefer(ProcessVersion.source_xml), undefer(ProcessVersion.dependency_sources))):
            catalog(version)


def pick(catalog_: Catalog, key: str, own: str, language: str | None = None) -> str:
    """The text of ``key`` in ``language`` (default: the request's), else ``own``."""
    language = language or i18n.current_locale()
    if not language:
        return own
    texts = catalog_.get(key)
    if not texts:
        return own
    return texts.get(language) or texts.get(language.split("_")[0]) or own


def text(version: ProcessVersion, key: str, own: str) -> str:
    """One label of a version (an element's name: ``key`` is its id) in the request's language."""
    return pick(catalog(version), key, own)


def process_name(version: ProcessVersion) -> str:
    """The process's name in the request's language."""
    return text(version, version.process_key, version.name)


def form(version: ProcessVersion, element_id: str, definition: FormDefinition | None) -> FormDefinition | None:
    """A task's or start event's form with its labels, help texts and option labels translated."""
    if definition is None:
        return None
    found = catalog(version)
    if not found or not i18n.current_locale():
        return definition
    fields = []
    for field in definition.fields:
        key = f"{element_id}/{field.id}"
        fields.append(replace(
            field, label=pick(found, key, field.label), help=pick(found, f"{key}/help", field.help),
            options=tuple((value, pick(found, f"{key}/option/{value}", label)) for value, label in field.options)))
    return FormDefinition(tuple(fields))


def rules(version: ProcessVersion, task_name: str, declared: Iterable[Rule]) -> tuple[Rule, ...]:
    """A task's cross-field rules with their messages translated (``i18n:<language>:rule:<n>``)."""
    found = catalog(version)
    return tuple(replace(rule, message=pick(found, f"{task_name}/rule/{n}", rule.message))
                 for n, rule in enumerate(declared, start=1))


def instructions(version: ProcessVersion, task_name: str, own: str) -> str:
    """A task's documentation (its instructions) in the request's language."""
    return text(version, f"{task_name}/documentation", own)


def titles(version: ProcessVersion, rows: Iterable[tuple[str, str, str]]) -> dict[str, str]:
    """``{task id: title}`` of an instance's ``(task id, task name, own title)`` rows, translated."""
    found = catalog(version)
    return {task_id: pick(found, name, title) for task_id, name, title in rows}


def show(session: Session, objects: Iterable[HumanTask | ProcessInstance]) -> None:
    """Put the request's language into loaded task rows and instances that are about to be shown.

    Titles, lanes and process names are stored in the diagram's own language (searchable, and what history
    and notifications keep); for display the loaded objects take the translated text as their loaded value,
    which the session does not write back.
    """
    objects = list(objects)
    if not objects or not i18n.current_locale():
        return
    instances = {o.id: o for o in objects if isinstance(o, ProcessInstance)}
    instances.update((o.instance.id, o.instance) for o in objects if isinstance(o, HumanTask))
    catalogs = _catalogs_of(session, (i.version for i in instances.values()))
    for instance in instances.values():
        found = catalogs.get(instance.version_id, {})
        set_committed_value(instance, "title", pick(found, instance.process_key, instance.title))
    for row in (o for o in objects if isinstance(o, HumanTask)):
        found = catalogs.get(row.instance.version_id, {})
        set_committed_value(row, "title", pick(found, row.task_name, row.title))
        if row.lane:
            set_committed_value(row, "lane", pick(found, f"lane:{row.lane}", row.lane))


def show_versions(versions: Iterable[ProcessVersion]) -> None:
    """Put the request's process names into loaded versions listed on a page (the start menu, the library).

    Only for pages that list versions: starting an instance copies its version's name as stored.
    """
    for version in versions:
        set_committed_value(version, "name", process_name(version))


def translate_diagram(version: ProcessVersion, root) -> None:
    """Rename the elements of a parsed diagram (``root``) into the request's language, for drawing it."""
    found = catalog(version)
    if not found or not i18n.current_locale():
        return
    for element in root.iter():
        element_id = element.get("id") if isinstance(element.tag, str) else None
        if element_id and element.get("name") is not None:
            element.set("name", pick(found, element_id, element.get("name")))


def lookup(session: Session, content_hashes: Mapping[int, str]) -> Callable[[int, str, str], str]:
    """``text(version id, key, own)`` over several versions, for lists of rows read as columns with their version's
    content hash (``content_hashes`` by version id): no statement once their catalogs are cached."""
    _read_catalogs(session, [vid for vid, content_hash in content_hashes.items() if content_hash not in _catalogs])
    return lambda version_id, key, own: pick(_catalogs.get(content_hashes.get(version_id), {}), key, own)
