"""Form definitions of a deployed version, read once from its BPMN sources and cached; given out in the
request's language (:mod:`services.processes.labels`)."""

from __future__ import annotations

from dataclasses import replace

import i18n
from engine.models import ProcessVersion
from forms import FormDefinition, TaskDeclarations, read_declarations, read_forms, system_started_processes
from services.processes import labels
from services.processes.version_sources import parsed_files


class FormCatalog:
    """Maps (version, task or start event id) to a :class:`FormDefinition`; cached by content hash."""

    def __init__(self):
        self._by_version: dict[str, dict[str, FormDefinition]] = {}
        self._declarations: dict[str, dict[str, TaskDeclarations]] = {}
        self._system_started: dict[str, bool] = {}
        self._translated: dict[tuple[str, str, str | None], FormDefinition | None] = {}

    def for_version(self, version: ProcessVersion) -> dict[str, FormDefinition]:
        """Every form in the version's own file and in the files it depends on."""
        forms = self._by_version.get(version.content_hash)
        if forms is None:
            forms = {}
            for root in parsed_files(version):
                if root.tag.endswith("definitions") and "BPMN" in root.tag:
                    forms.update(read_forms(root))
            self._by_version[version.content_hash] = forms
        return forms

    def task_form(self, version: ProcessVersion, task_name: str) -> FormDefinition | None:
        """The form of one user task (None if it has none), in the request's language."""
        return self._translated_form(version, task_name)

    def start_form(self, version: ProcessVersion, spec) -> FormDefinition | None:
        """The form on the process's start event, if it has one, in the request's language."""
        start_events = spec.start.outputs
        if not start_events:
            return None
        return self._translated_form(version, start_events[0].bpmn_id)

    def _translated_form(self, version: ProcessVersion, element_id: str) -> FormDefinition | None:
        """The form of an element in the request's language, translated once per version, element and language
        (the same definition object every time, so what is built from it can be kept too)."""
        key = (version.content_hash, element_id, i18n.current_locale())
        if key not in self._translated:
            self._translated[key] = labels.form(version, element_id, self.for_version(version).get(element_id))
        return self._translated[key]

    def declarations(self, version: ProcessVersion, task_name: str) -> TaskDeclarations:
        """The context kind and cross-field rules of one user task (empty when it declares none); rule
        messages in the request's language."""
        found = self._declarations.get(version.content_hash)
        if found is None:
            found = {}
            for root in parsed_files(version):
                if root.tag.endswith("definitions") and "BPMN" in root.tag:
                    found.update(read_declarations(root))
            self._declarations[version.content_hash] = found
        declared = found.get(task_name) or TaskDeclarations()
        return replace(declared, rules=labels.rules(version, task_name, declared.rules))

    def started_by_system(self, version: ProcessVersion) -> bool:
        """Whether the version's process declares that only the platform starts it (``started_by = system``)."""
        found = self._system_started.get(version.content_hash)
        if found is None:
            found = any(version.process_key in system_started_processes(root) for root in parsed_files(version)
                        if root.tag.endswith("definitions") and "BPMN" in root.tag)
            self._system_started[version.content_hash] = found
        return found
