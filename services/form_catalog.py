"""Form definitions of a deployed version, read once from its BPMN sources and cached."""

from __future__ import annotations

import json

from engine.models import ProcessVersion
from engine.xml_safety import parse_xml
from forms import FormDefinition, read_forms

_MAX = 50 * 1024 * 1024


class FormCatalog:
    """Maps (version, task or start event id) to a :class:`FormDefinition`; cached by content hash."""

    def __init__(self):
        self._by_version: dict[str, dict[str, FormDefinition]] = {}

    def for_version(self, version: ProcessVersion) -> dict[str, FormDefinition]:
        """Every form in the version's own file and in the files it depends on."""
        forms = self._by_version.get(version.content_hash)
        if forms is None:
            forms = {}
            sources = {version.filename: version.source_xml, **json.loads(version.dependency_sources)}
            for name, xml in sources.items():
                root = parse_xml(xml.encode(), name, _MAX)
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
