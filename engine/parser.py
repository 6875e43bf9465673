"""Turn a set of BPMN/DMN files into executable specs plus the platform's per-task metadata."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.spiff.parser import VALIDATOR, SpiffBpmnParser

from i18n import _

from .errors import DeploymentError
from .xml_safety import parse_xml

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
DMN_NAMESPACES = (
    "https://www.omg.org/spec/DMN/20191111/MODEL/",
    "http://www.omg.org/spec/DMN/20151101/dmn.xsd",
    "http://www.omg.org/spec/DMN/20180521/MODEL/",
)
CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn"
NS = {"bpmn": BPMN_NS, "camunda": CAMUNDA_NS}


def role_key(lane_name: str) -> str:
    """``"Customer director"`` -> ``"customer_director"``: the role of a lane that does not name one."""
    return re.sub(r"[^a-z0-9]+", "_", lane_name.strip().lower()).strip("_")


def lane_role(lane: etree._Element) -> str:
    """The role a ``bpmn:lane`` stands for: its ``role`` property, else the key derived from its name.

    ``<camunda:property name="role" value="salesperson"/>`` in the lane's extension elements lets the lane's
    name be in any language (``销售员``); diagrams without it keep working with English lane names.
    """
    for prop in lane.iterfind("bpmn:extensionElements/camunda:properties/camunda:property", NS):
        if (prop.get("name") or prop.get("id")) == "role" and (prop.get("value") or "").strip():
            return prop.get("value").strip()
    return role_key(lane.get("name") or lane.get("id") or "")


@dataclass(frozen=True)
class TaskMeta:
    """What the worklist needs to know about a user task, read once at deploy time."""

    name: str
    title: str
    lane: str | None
    role: str | None
    due: str | None = None
    priority: int = 50
    instructions: str = ""
    assignee: str | None = None
    """``camunda:assignee``: a username, or ``${expression}`` over the task data naming the user."""
    priority_expression: str | None = None
    """``camunda:priority="${supply_priority}"``: the priority comes from the task data (``priority`` if it fails)."""

    def to_json(self) -> dict:
        """The stored form; ``assignee`` and ``priority_expression`` only when set, so older versions keep their
        content hash."""
        data = dataclasses.asdict(self)
        for optional in ("assignee", "priority_expression"):
            if data[optional] is None:
                del data[optional]
        return data


@dataclass
class ParsedProcess:
    """One executable process of a bundle, ready to be stored as a version."""

    key: str
    name: str
    filename: str
    spec: object
    subprocess_specs: dict
    tasks: dict[str, TaskMeta] = field(default_factory=dict)
    dependencies: set[str] = field(default_factory=set)


@dataclass
class ParsedBundle:
    """The result of parsing a set of files together."""

    processes: dict[str, ParsedProcess]
    roots: dict[str, etree._Element]


def parse_bundle(files: dict[str, bytes], max_bytes: int) -> ParsedBundle:
    """Parse BPMN and DMN files together; raise :class:`DeploymentError` listing every problem."""
    parser = SpiffBpmnParser(validator=VALIDATOR)
    roots: dict[str, etree._Element] = {}
    problems: list[dict] = []
    for filename, content in files.items():
        try:
            root = parse_xml(content, filename, max_bytes)
        except DeploymentError as exc:
            problems.extend(exc.problems)
            continue
        roots[filename] = root
        try:
            if etree.QName(root).namespace in DMN_NAMESPACES:
                parser.add_dmn_xml(root, filename=filename)
            elif etree.QName(root).namespace == BPMN_NS:
                parser.add_bpmn_xml(root, filename=filename)
            else:
                problems.append({"file": filename, "line": root.sourceline,
                                 "message": _("not a BPMN 2.0 or DMN document")})
        except (ValidationException, SpiffWorkflowException, etree.DocumentInvalid) as exc:
            problems.append(_problem(exc, filename))
    if problems:
        raise DeploymentError(problems)

    elements = {
        p.get("id"): p for root in roots.values() if etree.QName(root).namespace == BPMN_NS
        for p in root.iterfind("bpmn:process", NS)
    }
    processes: dict[str, ParsedProcess] = {}
    for filename, root in roots.items():
        if etree.QName(root).namespace != BPMN_NS:
            continue
        for process in root.iterfind("bpmn:process", NS):
            key = process.get("id")
            try:
                spec = parser.get_spec(key)
                subprocess_specs = parser.get_subprocess_specs(key)
            except (ValidationException, SpiffWorkflowException) as exc:
                problems.append(_problem(exc, filename))
                continue
            processes[key] = ParsedProcess(
                key=key, name=process.get("name") or key, filename=filename, spec=spec,
                subprocess_specs=subprocess_specs, tasks=_task_meta_with_called(process, subprocess_specs, elements),
                dependencies=_dependency_files(spec, subprocess_specs, parser, filename),
            )
    if problems:
        raise DeploymentError(problems)
    if not processes and all(etree.QName(root).namespace == BPMN_NS for root in roots.values()):
        raise DeploymentError([{"file": ", ".join(files), "message": _("no BPMN process found")}])
    return ParsedBundle(processes=processes, roots=roots)


def _dependency_files(spec, subprocess_specs, parser, own_file: str) -> set[str]:
    """Every other file this process needs: called processes and DMN decisions."""
    files = {s.file for s in subprocess_specs.values() if getattr(s, "file", None)}
    tables = {
        task_spec.dmnEngine.decision_table.id
        for process_spec in (spec, *subprocess_specs.values())
        for task_spec in process_spec.task_specs.values()
        if hasattr(task_spec, "dmnEngine")
    }
    for dmn_parser in parser.dmn_parsers.values():
        decision = getattr(dmn_parser, "decision", None)  # set only for parsed (referenced) decisions
        if decision is not None and any(t.id in tables for t in decision.decisionTables):
            files.add(dmn_parser.filename)
    files.discard(own_file)
    return {f for f in files if f}


def _task_meta_with_called(process, subprocess_specs: dict, elements: dict) -> dict[str, TaskMeta]:
    """Task metadata of a process and of every process it calls (their lanes are their roles)."""
    meta: dict[str, TaskMeta] = {}
    for called in subprocess_specs:
        if called in elements:
            meta.update(read_task_meta(elements[called]))
    meta.update(read_task_meta(process))
    return meta


def read_task_meta(process: etree._Element) -> dict[str, TaskMeta]:
    """Lane/role, due-date expression, priority, instructions and assignee of every user task, and the
    lane/role of the start event (who may start the process)."""
    lanes: dict[str, tuple[str, str]] = {}
    for lane in process.iterfind(".//bpmn:lane", NS):
        for ref in lane.iterfind("bpmn:flowNodeRef", NS):
            lanes[(ref.text or "").strip()] = (lane.get("name") or lane.get("id"), lane_role(lane))
    meta = {}
    for event in process.iterfind("bpmn:startEvent", NS):
        lane, role = lanes.get(event.get("id"), (None, None))
        if lane is not None:
            meta[event.get("id")] = TaskMeta(name=event.get("id"), title=event.get("name") or event.get("id"),
                                             lane=lane, role=role)
    for task in process.iterfind(".//bpmn:userTask", NS):
        task_id = task.get("id")
        lane, role = lanes.get(task_id, (None, None))
        doc = task.find("bpmn:documentation", NS)
        priority = (task.get(f"{{{CAMUNDA_NS}}}priority") or "").strip()
        meta[task_id] = TaskMeta(
            name=task_id,
            title=task.get("name") or task_id,
            lane=lane,
            role=role,
            due=task.get(f"{{{CAMUNDA_NS}}}dueDate"),
            priority=50 if _is_expression(priority) else int(priority or 50),
            priority_expression=priority if _is_expression(priority) else None,
            instructions=(doc.text or "").strip() if doc is not None else "",
            assignee=(task.get(f"{{{CAMUNDA_NS}}}assignee") or "").strip() or None,
        )
    return meta


def _is_expression(text: str) -> bool:
    return text.startswith("${") and text.endswith("}")


def _problem(exc: Exception, filename: str) -> dict:
    line = getattr(exc, "line_number", None) or getattr(exc, "lineno", None)
    element = getattr(exc, "id", "") or getattr(exc, "name", "")
    message = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
    if isinstance(exc, etree.DocumentInvalid) and exc.error_log:
        entry = exc.error_log[0]
        line, message = entry.line, _("schema: %(problem)s", problem=entry.message)
    return {"file": getattr(exc, "file_name", "") or filename, "line": line or None,
            "element": element or None, "message": message}
