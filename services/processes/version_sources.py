"""The files of a deployed version, as stored (text) or parsed: its own file and the files it depends on."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

from lxml import etree

from engine.models import ProcessVersion
from engine.xml_safety import parse_xml

MAX_SOURCE_BYTES = 50 * 1024 * 1024
"""Size limit when a stored file is parsed again (it was checked on deployment)."""


def version_files(version: ProcessVersion) -> dict[str, str]:
    """A version's own file and the files it depends on (DMN, called processes), by name."""
    return {version.filename: version.source_xml, **json.loads(version.dependency_sources)}


def parsed_files(version: ProcessVersion) -> Iterator[etree._Element]:
    """The root element of each of :func:`version_files`, parsed with the XML safety limits."""
    for name, xml in version_files(version).items():
        yield parse_xml(xml.encode(), name, MAX_SOURCE_BYTES)


BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
HIDDEN_FROM_DIAGRAMS = ("extensionElements", "script", "conditionExpression", "timeDuration", "timeDate",
                        "timeCycle", "completionCondition", "loopCardinality")
"""BPMN elements a diagram does not need and that carry code or rules (scripts, conditions, timer expressions,
forms and service parameters in extension elements)."""


def diagram_xml(version: ProcessVersion, rename: Callable[[etree._Element], None] | None = None) -> bytes:
    """The version's own BPMN without scripts, expressions and extension elements, its labels renamed by
    ``rename`` (:func:`services.processes.labels.translate_diagram`: the request's language): enough to draw the
    diagram for whoever works on one of its tasks; the full source is for process owners and administrators."""
    root = parse_xml(version.source_xml.encode(), version.filename, MAX_SOURCE_BYTES)
    if rename is not None:
        rename(root)
    for name in HIDDEN_FROM_DIAGRAMS:
        for element in root.iter(f"{{{BPMN_NS}}}{name}"):
            element.getparent().remove(element)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")

