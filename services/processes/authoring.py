"""Process owners' use cases: open a process for editing, validate, deploy, roll back, migrate instances.

Every deployment and migration writes an audit row in the same transaction. Functions flush; the
caller commits.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field

from lxml import etree
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import i18n
from crm import audit
from crm.accounts.users import role_labels
from crm.processes import drafts
from engine import migration
from engine.deployment import DeployResult, latest_versions, validate_files
from engine.errors import Conflict, DeploymentError, EngineError, NotFound
from engine.models import DecisionVersion, ProcessInstance, ProcessVersion
from engine.parser import BPMN_NS, DMN_NAMESPACES, ParsedBundle
from engine.runtime import Actor, ProcessEngine
from engine.services import HandlerRegistry
from engine.xml_safety import parse_xml
from i18n import _
from services.processes import modeler_terms
from services.processes.deploy_checks import missing_context
from services.processes.interop_checks import findings
from services.processes.version_sources import version_files

FILE_NAME = re.compile(r"^[\w.\- ]{1,200}\.(bpmn|dmn|xml)$")
NEW_PROCESS_TEMPLATE = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
  xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
  xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core"
  id="Definitions_{key}" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:collaboration id="Collaboration_{key}">
    <bpmn:participant id="Participant_{key}" name="{name}" processRef="{key}" />
  </bpmn:collaboration>
  <bpmn:process id="{key}" name="{name}" isExecutable="true">
    <bpmn:laneSet id="LaneSet_{key}">
      <bpmn:lane id="Lane_first" name="Salesperson">
        <bpmn:flowNodeRef>start</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>end</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="start"><bpmn:outgoing>flow_1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:endEvent id="end"><bpmn:incoming>flow_1</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="flow_1" sourceRef="start" targetRef="end" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="Diagram_{key}">
    <bpmndi:BPMNPlane id="Plane_{key}" bpmnElement="Collaboration_{key}">
      <bpmndi:BPMNShape id="Participant_{key}_di" bpmnElement="Participant_{key}" isHorizontal="true">
        <dc:Bounds x="120" y="80" width="600" height="200" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Lane_first_di" bpmnElement="Lane_first" isHorizontal="true">
        <dc:Bounds x="150" y="80" width="570" height="200" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="212" y="162" width="36" height="36" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="end_di" bpmnElement="end"><dc:Bounds x="612" y="162" width="36" height="36" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="flow_1_di" bpmnElement="flow_1">
        <di:waypoint x="248" y="180" /><di:waypoint x="612" y="180" />
      </bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
"""


@dataclass
class Report:
    """Validation result: errors block deployment, warnings are what the platform will ignore."""

    errors: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_json(self) -> dict:
        return {"ok": self.ok, "errors": self.errors, "warnings": self.warnings}


@dataclass
class Workspace:
    """What the modeler opens: the files, the version they came from, and the draft if one is saved."""

    process_key: str
    name: str
    main_file: str
    files: dict[str, str]
    base_version: int | None
    draft: drafts.ProcessDraft | None


def open_workspace(session: Session, process_key: str) -> Workspace:
    """The saved draft of a process if there is one, else its newest deployed version."""
    version = latest_versions(session).get(process_key)
    draft = drafts.get_draft(session, process_key)
    if draft is not None:
        main = version.filename if version is not None and version.filename in draft.files else next(iter(draft.files))
        return Workspace(process_key, version.name if version else process_key, main, draft.files,
                         draft.base_version, draft)
    if version is None:
        raise NotFound(_("no process %(key)r is deployed or drafted", key=process_key))
    return Workspace(process_key, version.name, version.filename, version_files(version), version.version, None)


def new_process(session: Session, process_key: str, name: str, user: str) -> drafts.ProcessDraft:
    """Start a draft for a process that does not exist yet, from a one-lane template."""
    if not process_key.isidentifier():
        raise DeploymentError([{"message": _("the process key must be a name like visit_approval")}])
    if process_key in latest_versions(session) or drafts.get_draft(session, process_key) is not None:
        raise DeploymentError([{"message": _("a process %(key)r exists already; open it instead", key=process_key)}])
    xml = NEW_PROCESS_TEMPLATE.format(key=process_key, name=_xml_attr(name or process_key))
    return drafts.save_draft(session, process_key, {f"{process_key}.bpmn": xml}, None, user)


def save_draft(session: Session, engine: ProcessEngine, process_key: str, files: dict[str, str],
               base_version: int | None, user: str, loaded_revision: int | None) -> drafts.ProcessDraft:
    """Keep the modeler's files as the draft; refuses unsafe or malformed XML and lost updates."""
    _check_safe(files, engine.max_bpmn_bytes)
    try:
        return drafts.save_draft(session, process_key, files, base_version, user, loaded_revision)
    except drafts.DraftChanged as exc:
        raise Conflict(_("%(problem)s; reload the page to see their changes", problem=exc)) from None


def validate(session: Session, engine: ProcessEngine, files: dict[str, str]) -> Report:
    """Schema, engine parse, the platform's rules and the interoperability report, without writing."""
    report = Report()
    try:
        _check_safe(files, engine.max_bpmn_bytes)
        validate_files(session, _encode(files), engine.max_bpmn_bytes, engine.deploy_checks)
    except DeploymentError as exc:
        report.errors = [{**p, "severity": "error"} for p in _explained(engine, files, exc.problems)]
    report.warnings = interop_warnings(files, engine.max_bpmn_bytes)
    return report


def interop_warnings(files: dict[str, str], max_bytes: int) -> list[dict]:
    """What the platform will ignore in these files (not blocking); unreadable files are skipped."""
    warnings = []
    for name, content in _encode(files).items():
        try:
            root = parse_xml(content, name, max_bytes)
        except DeploymentError:
            continue  # reported as an error by validation
        warnings += [f.as_problem() for f in findings(name, root) if f.severity == "warning"]
        if name.endswith(".bpmn"):
            warnings += missing_context(name, root)
    return warnings


def deploy(session: Session, engine: ProcessEngine, files: dict[str, str], actor: Actor, comment: str = "",
           *, draft_key: str | None = None, base_version: int | None = None, force: bool = False,
           ) -> list[DeployResult]:
    """Deploy files (validated again by the engine); audit each new version and drop the deployed draft.

    With ``draft_key``, the process must still be at ``base_version`` (the version the draft started
    from): a version someone else deployed meanwhile is a :class:`Conflict`, unless ``force``.
    """
    _check_safe(files, engine.max_bpmn_bytes)
    if draft_key and not force:
        latest = latest_versions(session).get(draft_key)
        if latest is not None and latest.version != base_version:
            raise Conflict(
                _("v%(version)s was deployed by %(user)s since this draft started from v%(base)s; compare the "
                  "versions first, or deploy anyway to replace it", version=latest.version,
                  user=latest.deployed_by, base=base_version) if base_version else
                _("v%(version)s was deployed by %(user)s since this draft started from scratch; compare the "
                  "versions first, or deploy anyway to replace it", version=latest.version, user=latest.deployed_by))
    try:
        results = engine.deploy(session, _encode(files), actor.username, comment)
    except DeploymentError as exc:
        raise DeploymentError(_explained(engine, files, exc.problems)) from None
    for result in results:
        if result.created:
            version = result.version
            kind = "decision" if isinstance(version, DecisionVersion) else "process"
            audit.record(session, actor.username, f"{kind}.deploy", f"{kind}:{version.process_key}",
                         {"version": version.version, "files": sorted(files)}, comment)
    if draft_key:
        drafts.discard_draft(session, draft_key)
    return results


def rollback(session: Session, engine: ProcessEngine, version_id: int, actor: Actor, reason: str = "") -> list:
    """Deploy an earlier version's sources again as the newest version of its process."""
    version = session.get(ProcessVersion, version_id)
    if version is None:
        raise NotFound(_("no process version %(id)s", id=version_id))
    comment = f"roll back to v{version.version}" + (f": {reason}" if reason else "")
    results = engine.deploy(session, _encode(version_files(version)), actor.username, comment)
    for result in results:
        if result.created:
            audit.record(session, actor.username, "process.rollback", f"process:{result.version.process_key}",
                         {"version": result.version.version, "sources_of": version.version}, reason)
    return results


def migration_target(session: Session, process_key: str, version_number: int | None) -> ProcessVersion:
    """The version instances would move to: the given number, else the newest."""
    query = select(ProcessVersion).where(ProcessVersion.process_key == process_key)
    if version_number is not None:
        query = query.where(ProcessVersion.version == version_number)
    target = session.scalars(query.order_by(ProcessVersion.version.desc())).first()
    if target is None:
        raise NotFound(f"no version {version_number or ''} of {process_key!r}")
    return target


def migrate(session: Session, engine: ProcessEngine, target: ProcessVersion, instance_ids: list[int],
            actor: Actor, reason: str = "") -> tuple[list[int], dict[int, str]]:
    """Move each instance to ``target`` in its own savepoint; returns (moved ids, refused id -> why)."""
    moved, refused = [], {}
    for instance_id in instance_ids:
        try:
            with session.begin_nested():
                instance = session.get(ProcessInstance, instance_id)
                if instance is None:
                    raise NotFound(f"no instance {instance_id}")
                from_version = instance.version.version
                migration.migrate(engine, session, instance_id, target, actor)
                audit.record(session, actor.username, "process.migrate", f"instance:{instance_id}",
                             {"process": target.process_key, "from_version": from_version,
                              "to_version": target.version}, reason)
        except EngineError as exc:
            refused[instance_id] = str(exc)
        else:
            moved.append(instance_id)
    return moved, refused


def instance_counts(session: Session) -> dict[int, dict[str, int]]:
    """Per version id: instance counts by status."""
    counts: dict[int, dict[str, int]] = {}
    rows = session.execute(select(ProcessInstance.version_id, ProcessInstance.status, func.count())
                           .group_by(ProcessInstance.version_id, ProcessInstance.status))
    for version_id, status, count in rows:
        counts.setdefault(version_id, {})[status] = count
    return counts


def modeler_catalog(registry: HandlerRegistry, site_language: str = "") -> dict:
    """What the modeler's properties panel offers: roles for lanes, operations with their parameters, the
    languages a label can be translated into (every shipped language but the site's, which labels are in), and
    the form's field types and record kinds (:func:`modeler_terms.form_terms`)."""
    operations = []
    for name in registry.names():
        operation = registry.get(name)
        params = [p.name for p in list(inspect.signature(operation.func).parameters.values())[1:]
                  if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
        operations.append({"name": name, "description": operation.description, "params": params,
                           "background": operation.background})
    return {"roles": [{"key": key, "label": label} for key, label in role_labels().items()],
            "operations": operations,
            "languages": [{"code": code, "name": name} for code, name in i18n.LANGUAGES.items()
                          if code != site_language],
            **modeler_terms.form_terms()}


def _explained(engine: ProcessEngine, files: dict[str, str], problems: list[dict]) -> list[dict]:
    """The engine stops at the first file it cannot parse: add what the platform's rules find in the XML."""
    encoded = _encode(files)
    roots = {}
    for name, content in encoded.items():
        try:
            roots[name] = parse_xml(content, name, engine.max_bpmn_bytes)
        except DeploymentError:
            continue  # already among the problems
    seen = {(p.get("file"), p.get("element"), p["message"]) for p in problems}
    bundle = ParsedBundle(processes={}, roots=roots)
    for check in engine.deploy_checks:
        for problem in check(bundle, encoded):
            key = (problem.get("file"), problem.get("element"), problem["message"])
            if key not in seen:
                seen.add(key)
                problems = [*problems, problem]
    return problems


def _encode(files: dict[str, str]) -> dict[str, bytes]:
    return {name: content.encode() for name, content in files.items()}


def _check_safe(files: dict[str, str], max_bytes: int) -> None:
    """File names, size, well-formedness, no DOCTYPE, and a BPMN or DMN root: before anything is stored."""
    if not files:
        raise DeploymentError([{"message": _("no files were sent")}])
    problems = []
    for name, content in _encode(files).items():
        if not FILE_NAME.match(name):
            problems.append({"file": name[:100], "message": _("file names end in .bpmn or .dmn, without folders")})
            continue
        try:
            root = parse_xml(content, name, max_bytes)
        except DeploymentError as exc:
            problems += exc.problems
            continue
        if etree.QName(root).namespace not in (BPMN_NS, *DMN_NAMESPACES):
            problems.append({"file": name, "line": root.sourceline, "message": _("not a BPMN 2.0 or DMN document")})
    if problems:
        raise DeploymentError(problems)


def _xml_attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
