"""Form definitions of a deployed version, read once from its BPMN sources and cached."""

from __future__ import annotations

from engine.models import ProcessVersion
from forms import FormDefinition, read_forms
from services.processes.version_sources import parsed_files


class FormCatalog:
    """Maps (version, task or start event id) to a :class:`FormDefinition`; cached by content hash."""

    def __init__(self):
        self._by_version: dict[str, dict[str, FormDefinition]] = {}

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
        """The form of one user task (None if it has none)."""
        return self.for_version(version).get(task_name)

    def start_form(self, version: ProcessVersion, spec) -> FormDefinition | None:
        """The form on the process's start event, if it has one."""
        start_events = spec.start.outputs
        return self.for_version(version).get(start_events[0].bpmn_id) if start_events else None
