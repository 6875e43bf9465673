"""Decision tables (DMN) as versioned policies: checked and stored at deploy, evaluated by key.

A process calls a decision from a business rule task and keeps the table of the version it started on. Policies
the business changes without code (service rates, terms by customer grade) are evaluated outside any process,
by quotes and settlements: :func:`decide` reads the newest deployed version of a table and answers its outputs
with the version that gave them, so a record can say which table priced it. Each deploy of a changed DMN file is
version n+1 of every decision in it; identical content is a no-op.
"""

from __future__ import annotations

import ast
import hashlib
import json
import threading
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.dmn.engine.DMNEngine import DMNEngine
from SpiffWorkflow.dmn.parser.DMNParser import DMNParser
from SpiffWorkflow.exceptions import SpiffWorkflowException
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from i18n import _

from .errors import DeploymentError, EngineError, ScriptSecurityError
from .models import DecisionVersion, ProcessInstance
from .parser import DMN_NAMESPACES
from .restricted import check_source
from .sandbox import SandboxedEnvironment
from .xml_safety import parse_xml

TYPES = ("string", "number", "integer", "boolean", "date")
"""Input and output types a table may declare (``typeRef``)."""
NUMBER_TYPES = ("number", "integer")


class DecisionError(EngineError):
    """A decision is not deployed, or no rule of its table matches the inputs."""


class DecisionMissing(DecisionError):
    """No version of the decision is deployed."""


@dataclass(frozen=True)
class Decision:
    """What a table decided: its outputs (numbers as ``Decimal``) and which version of which table decided it."""

    key: str
    name: str
    version: int
    outputs: dict[str, Any]

    @property
    def label(self) -> str:
        """``service_policy v3``: how a record names the table version that priced it."""
        return f"{self.key} v{self.version}"


def dmn_namespace(root: etree._Element) -> str | None:
    """The DMN namespace of a document's root, or None for any other document."""
    namespace = etree.QName(root).namespace
    return namespace if namespace in DMN_NAMESPACES else None


def check_tables(filename: str, root: etree._Element) -> list[dict]:
    """Problems of every decision table in a DMN document, in the process owner's words."""
    ns = {"dmn": dmn_namespace(root)}
    problems: list[dict] = []

    def problem(element: etree._Element, message: str) -> None:
        problems.append({"file": filename, "line": element.sourceline, "element": element.get("id"),
                         "message": message})

    decisions = root.findall("dmn:decision", ns)
    if not decisions:
        problem(root, _("the file holds no decision"))
    for decision in decisions:
        tables = decision.findall("dmn:decisionTable", ns)
        if len(tables) != 1:
            problem(decision, _("a decision holds exactly one decision table"))
        for table in tables:
            _check_table(table, ns, problem)
    return problems


def _check_table(table: etree._Element, ns: dict, problem) -> None:
    """Columns and cells; the hit policy is checked with the other interoperability rules
    (``services/processes/interop_checks.py``)."""
    inputs = table.findall("dmn:input", ns)
    outputs = table.findall("dmn:output", ns)
    if not outputs:
        problem(table, _("the table has no output column"))
    for column in inputs:
        expression = column.find("dmn:inputExpression", ns)
        text = expression.findtext("dmn:text", "", ns).strip() if expression is not None else ""
        label = column.get("label") or column.get("id")
        if not text:
            problem(column, _("input %(column)s has no expression naming the data it reads", column=label))
        else:
            _check_expression(column, text, label, problem)
        type_ref = expression.get("typeRef") if expression is not None else None
        if type_ref and type_ref not in TYPES:
            problem(column, _("input %(column)s has type %(type)s; use one of %(allowed)s", column=label,
                              type=type_ref, allowed=", ".join(TYPES)))
    for column in outputs:
        label = column.get("label") or column.get("name") or column.get("id")
        if not (column.get("name") or "").strip():
            problem(column, _("output %(column)s has no name to store its value under", column=label))
        if (column.get("typeRef") or "string") not in TYPES:
            problem(column, _("output %(column)s has type %(type)s; use one of %(allowed)s", column=label,
                              type=column.get("typeRef"), allowed=", ".join(TYPES)))
    for number, rule in enumerate(table.findall("dmn:rule", ns), start=1):
        entries = rule.findall("dmn:inputEntry", ns)
        results = rule.findall("dmn:outputEntry", ns)
        if len(entries) != len(inputs) or len(results) != len(outputs):
            problem(rule, _("rule %(n)s has %(cells)s cells; the table has %(columns)s columns", n=number,
                            cells=len(entries) + len(results), columns=len(inputs) + len(outputs)))
            continue
        for entry in entries:
            text = (entry.findtext("dmn:text", "", ns) or "").strip()
            if text and text != "-":
                _check_condition(entry, text, number, problem)
        for column, result in zip(outputs, results, strict=True):
            _check_output(result, (result.findtext("dmn:text", "", ns) or "").strip(),
                          column.get("typeRef") or "string", column.get("label") or column.get("name"), number,
                          problem)


def _check_expression(element, text: str, label: str, problem) -> None:
    try:
        check_source(text, "eval")
    except ScriptSecurityError as exc:
        problem(element, _("input %(column)s: %(problem)s", column=label, problem=str(exc)))


def _check_condition(entry, text: str, rule: int, problem) -> None:
    """A cell is a value (``"key"``, ``5``) or a comparison missing its left side (``>= 500000``)."""
    for candidate in (text, f"value {text}"):
        try:
            check_source(candidate.replace("?", "value"), "eval")
            return
        except ScriptSecurityError:
            continue
    problem(entry, _("rule %(n)s: the condition %(text)s cannot be read; write a value such as \"key\" or 10, "
                     "or a comparison such as >= 10", n=rule, text=text))


def _check_output(entry, text: str, type_ref: str, label: str, rule: int, problem) -> None:
    if not text:
        problem(entry, _("rule %(n)s gives no value for %(column)s", n=rule, column=label))
        return
    try:
        check_source(text, "eval")
    except ScriptSecurityError as exc:
        problem(entry, _("rule %(n)s, %(column)s: %(problem)s", n=rule, column=label, problem=str(exc)))
        return
    literal = _literal(text)
    if literal is _NOT_LITERAL:
        return  # an expression over the inputs: checked when it runs
    if type_ref in NUMBER_TYPES and (isinstance(literal, bool) or not isinstance(literal, int | float)):
        problem(entry, _("rule %(n)s: %(column)s is a number, not %(text)s", n=rule, column=label, text=text))
    elif type_ref == "integer" and not isinstance(literal, int):
        problem(entry, _("rule %(n)s: %(column)s is a whole number, not %(text)s", n=rule, column=label, text=text))
    elif type_ref == "string" and not isinstance(literal, str):
        problem(entry, _("rule %(n)s: %(column)s is text; write it in quotes, e.g. \"%(text)s\"", n=rule,
                         column=label, text=text))
    elif type_ref == "boolean" and not isinstance(literal, bool):
        problem(entry, _("rule %(n)s: %(column)s is True or False, not %(text)s", n=rule, column=label, text=text))


_NOT_LITERAL = object()


def _literal(text: str) -> Any:
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return _NOT_LITERAL


def decision_keys(root: etree._Element) -> list[tuple[str, str]]:
    """(id, name) of every decision in a DMN document."""
    ns = {"dmn": dmn_namespace(root)}
    return [(d.get("id"), d.get("name") or d.get("id")) for d in root.findall("dmn:decision", ns)]


def record_versions(session: Session, files: dict[str, bytes], user: str, comment: str, max_bytes: int) -> list:
    """A new :class:`DecisionVersion` of every decision whose DMN file changed; returns the new rows."""
    created = []
    for filename, content in sorted(files.items()):
        root = parse_xml(content, filename, max_bytes)
        if dmn_namespace(root) is None:
            continue
        content_hash = hashlib.sha256(content).hexdigest()
        for key, name in decision_keys(root):
            current = latest_decision(session, key)
            if current is not None and current.content_hash == content_hash:
                continue
            version = DecisionVersion(
                decision_key=key, version=(current.version if current else 0) + 1, name=name, filename=filename,
                content_hash=content_hash, source_xml=content.decode(), deployed_by=user, comment=comment,
            )
            session.add(version)
            created.append(version)
    session.flush()
    return created


def latest_decision(session: Session, key: str) -> DecisionVersion | None:
    """The newest deployed version of a decision, or None."""
    return session.scalars(select(DecisionVersion).where(DecisionVersion.decision_key == key)
                           .order_by(DecisionVersion.version.desc()).limit(1)).first()


def decide(session: Session, key: str, inputs: dict[str, Any]) -> Decision:
    """Evaluate the newest version of decision ``key`` on ``inputs``; raise :class:`DecisionError` on no match."""
    version = latest_decision(session, key)
    if version is None:
        raise DecisionMissing(_("no decision table %(key)s is deployed", key=key))
    table, types = _table(version)
    task = _Evaluation(dict(inputs))
    try:
        outputs = DMNEngine(table).result(task)
    except (SpiffWorkflowException, ScriptSecurityError) as exc:
        raise DecisionError(_("decision table %(key)s v%(version)s failed: %(problem)s", key=key,
                              version=version.version, problem=str(exc).splitlines()[0])) from exc
    if not outputs:
        raise DecisionError(_("no rule of decision table %(key)s v%(version)s matches %(inputs)s", key=key,
                              version=version.version, inputs=", ".join(f"{k}={v!r}" for k, v in inputs.items())))
    return Decision(key, version.name, version.version,
                    {name: _typed(value, types.get(name)) for name, value in outputs.items()})


def _typed(value: Any, type_ref: str | None) -> Any:
    """Numbers as exact decimals (``280.0`` reads ``Decimal("280.0")``), whole numbers as int."""
    if isinstance(value, list):
        return [_typed(v, type_ref) for v in value]
    if type_ref == "integer" and isinstance(value, int | float) and not isinstance(value, bool):
        return int(value)
    if type_ref == "number" and isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return Decimal(str(value))
        except InvalidOperation:
            return value
    return value


_tables: dict[tuple[str, str], tuple] = {}
_tables_lock = threading.Lock()


def _table(version: DecisionVersion) -> tuple:
    """The parsed table of a version and its output types, once per process and content."""
    cache_key = (version.decision_key, version.content_hash)
    with _tables_lock:
        cached = _tables.get(cache_key)
    if cached is not None:
        return cached
    root = parse_xml(version.source_xml.encode(), version.filename, 10_000_000)
    ns = {"dmn": dmn_namespace(root)}
    element = next(e for e in root.findall("dmn:decision", ns) if e.get("id") == version.decision_key)
    parser = DMNParser(None, root, ns, filename=version.filename)
    try:
        table = parser._parse_decision([element]).decisionTables[0]
    except ValidationException as exc:  # checked at deploy; a stored version always parses
        raise DecisionError(str(exc)) from exc
    types = {o.name: o.typeRef for o in table.outputs}
    with _tables_lock:
        _tables[cache_key] = (table, types)
    return table, types


class _Evaluation:
    """The task-shaped object SpiffWorkflow's DMN engine reads: data plus a sandboxed script engine."""

    _script_engine = PythonScriptEngine(environment=SandboxedEnvironment())

    def __init__(self, data: dict):
        self.data = data
        self.workflow = self
        self.script_engine = self._script_engine


def deploy_problems(files: dict[str, bytes], max_bytes: int) -> list[dict]:
    """Problems of every DMN file being deployed (used by :func:`engine.deployment.validate_files`)."""
    problems = []
    for filename, content in files.items():
        try:
            root = parse_xml(content, filename, max_bytes)
        except DeploymentError:
            continue  # reported by the parser with the others
        if dmn_namespace(root) is not None:
            problems.extend(check_tables(filename, root))
    return problems


def version_in_instance(session: Session, instance_id: int, key: str) -> int | None:
    """The version of decision ``key`` a process instance evaluates: the one deployed with the file its process
    version carries (None when the instance's version carries no such table)."""
    instance = session.get(ProcessInstance, instance_id)
    if instance is None:
        return None
    sources = json.loads(instance.version.dependency_sources or "{}")
    sources[instance.version.filename] = instance.version.source_xml
    for filename, xml in sources.items():
        content = xml.encode()
        root = parse_xml(content, filename, len(content) + 1)
        if dmn_namespace(root) is None or key not in dict(decision_keys(root)):
            continue
        return session.scalar(select(func.max(DecisionVersion.version)).where(
            DecisionVersion.decision_key == key, DecisionVersion.content_hash == hashlib.sha256(content).hexdigest()))
    return None
