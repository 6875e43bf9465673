"""What changed between two versions of a process, element by element (for lists and diagram colours).

Elements are matched by BPMN id. An element changed when its attributes, its content (form, condition,
script, timer, service operation, ...) or its lane differ; layout (DI) and whitespace are ignored.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from .parser import BPMN_NS, NS
from .xml_safety import parse_xml

IGNORED_CHILDREN = {"incoming", "outgoing", "flowNodeRef"}
NESTED = {"sequenceFlow", "subProcess", "transaction", "adHocSubProcess", "callActivity", "laneSet", "lane",
          "childLaneSet", "dataObject", "dataObjectReference", "dataStoreReference", "textAnnotation",
          "association", "group"}
NO_SHAPE = {"laneSet", "childLaneSet", "dataObject"}
FRIENDLY = {
    "extensionElements": "extensions (form fields, service operation, ...)",
    "conditionExpression": "condition",
    "script": "script",
    "timerEventDefinition": "timer",
    "documentation": "documentation",
    "multiInstanceLoopCharacteristics": "multi-instance settings",
    "standardLoopCharacteristics": "loop settings",
}


@dataclass(frozen=True)
class ElementChange:
    element: str
    kind: str  # "added" | "removed" | "changed"
    type: str
    name: str
    details: tuple[str, ...] = ()


@dataclass
class VersionDiff:
    added: list[ElementChange] = field(default_factory=list)
    removed: list[ElementChange] = field(default_factory=list)
    changed: list[ElementChange] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def ids(self) -> dict[str, list[str]]:
        """Element ids by kind, for colouring the diagrams."""
        return {kind: [c.element for c in getattr(self, kind)] for kind in ("added", "removed", "changed")}


@dataclass(frozen=True)
class _Element:
    type: str
    name: str
    attributes: dict
    content: dict
    lane: str | None


def diff_sources(old_xml: str, new_xml: str, process_key: str, max_bytes: int) -> VersionDiff:
    """Compare the process ``process_key`` in two BPMN documents."""
    old = _elements(parse_xml(old_xml.encode(), "old", max_bytes), process_key)
    new = _elements(parse_xml(new_xml.encode(), "new", max_bytes), process_key)
    diff = VersionDiff()
    for element_id, element in new.items():
        if element_id not in old:
            diff.added.append(ElementChange(element_id, "added", element.type, element.name))
    for element_id, element in old.items():
        if element_id not in new:
            diff.removed.append(ElementChange(element_id, "removed", element.type, element.name))
            continue
        details = _details(element, new[element_id])
        if details:
            new_element = new[element_id]
            diff.changed.append(ElementChange(element_id, "changed", new_element.type, new_element.name, details))
    return diff


def _elements(root: etree._Element, process_key: str) -> dict[str, _Element]:
    process = next((p for p in root.iterfind("bpmn:process", NS) if p.get("id") == process_key), None)
    if process is None:
        return {}
    lanes = {
        (ref.text or "").strip(): lane.get("name") or lane.get("id")
        for lane in process.iterfind(".//bpmn:lane", NS) for ref in lane.iterfind("bpmn:flowNodeRef", NS)
    }
    found: dict[str, _Element] = {}
    _collect(process, lanes, found)
    return found


def _collect(element: etree._Element, lanes: dict[str, str], found: dict[str, _Element]) -> None:
    """Record ``element`` (unless it has no shape) and recurse into the flow elements it contains."""
    local = etree.QName(element).localname
    if local not in NO_SHAPE and element.get("id"):
        content = [c for c in element if isinstance(c.tag, str) and not _is_nested(c)
                   and etree.QName(c).localname not in IGNORED_CHILDREN]
        found[element.get("id")] = _Element(
            type=local,
            name=element.get("name") or "",
            attributes={k: v for k, v in element.attrib.items() if k != "id"},
            content={etree.QName(c).localname: [_canonical(x) for x in content if x.tag == c.tag] for c in content},
            lane=lanes.get(element.get("id")),
        )
    for child in element:
        if isinstance(child.tag, str) and _is_nested(child):
            _collect(child, lanes, found)


def _is_nested(child: etree._Element) -> bool:
    """Flow elements, lanes and artifacts: compared on their own, not as part of their container."""
    qname = etree.QName(child)
    return qname.namespace == BPMN_NS and (
        qname.localname in NESTED or qname.localname.endswith(("Task", "Event", "Gateway", "task"))
    )


def _canonical(element: etree._Element) -> tuple:
    """Namespace-prefix and whitespace independent form of an element tree."""
    children = tuple(_canonical(c) for c in element if isinstance(c.tag, str))
    text = (element.text or "").strip()
    return element.tag, tuple(sorted(element.attrib.items())), text, children


def _details(old: _Element, new: _Element) -> tuple[str, ...]:
    details = []
    for key in sorted(set(old.attributes) | set(new.attributes)):
        before, after = old.attributes.get(key), new.attributes.get(key)
        if before != after:
            details.append(f"{etree.QName(key).localname}: {before or '—'} → {after or '—'}")
    if old.lane != new.lane:
        details.append(f"lane: {old.lane or '—'} → {new.lane or '—'}")
    for key in sorted(set(old.content) | set(new.content)):
        if old.content.get(key) != new.content.get(key):
            details.append(f"{FRIENDLY.get(key, key)} changed")
    return tuple(details)
