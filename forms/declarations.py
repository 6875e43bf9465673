"""What a user task declares beside its fields: the record it is about (``context``) and cross-field ``rule``s.

Both are Camunda extension properties on the user task (``context`` may also sit on the process, for
every task in it)::

    <camunda:property name="context" value="contract"/>
    <camunda:property name="rule" value="advance_amount &lt;= budget | The advance exceeds the approved budget
                                         | override: finance_manager"/>

A rule is ``expression | message`` with an optional third part ``override: role``: a member of that
role may submit anyway with a reason. Expressions run in the engine's sandbox over the task data with
the submitted values on top.
"""

from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass

from lxml import etree

from i18n import _

from .bpmn_reader import BPMN_NS, NS
from .errors import FormDefinitionError

STARTED_BY = "started_by"
STARTED_BY_SYSTEM = "system"
"""``<camunda:property name="started_by" value="system"/>`` on a process: only the platform's scheduler starts
it (periodic sales reports, data-quality batches); it is not offered to people and a start by hand is refused."""
RULE_HELPERS = frozenset({"today", "now", "date", "datetime", "timedelta", "Decimal"})
"""``today`` and ``now`` are values (a date, a datetime), the others the sandbox's helpers."""
MAX_RULE_CHARS = 500


@dataclass(frozen=True)
class Rule:
    """One cross-field rule: it holds when ``expression`` is true."""

    expression: str
    message: str
    fields: tuple[str, ...]
    """Data names the expression reads (errors are shown by those that are form fields)."""
    override_role: str | None = None

    def to_api(self) -> dict:
        return {"expression": self.expression, "message": self.message, "fields": list(self.fields),
                "override_role": self.override_role}


@dataclass(frozen=True)
class TaskDeclarations:
    """The ``context`` kind and the rules of one user task."""

    context: str | None = None
    rules: tuple[Rule, ...] = ()


def read_declarations(root: etree._Element) -> dict[str, TaskDeclarations]:
    """Every user task's declarations in a parsed BPMN document, by element id.

    Raises :class:`FormDefinitionError` for a malformed rule, naming the task.
    """
    found = {}
    for process in root.iter(f"{{{BPMN_NS}}}process"):
        process_context = _property_values(process, "context")
        for task in process.iter(f"{{{BPMN_NS}}}userTask"):
            contexts = _property_values(task, "context") or process_context
            try:
                rules = tuple(parse_rule(text) for text in _property_values(task, "rule"))
            except ValueError as exc:
                raise FormDefinitionError(f"userTask '{task.get('id', '')}': {exc}") from None
            found[task.get("id", "")] = TaskDeclarations(contexts[0] if contexts else None, rules)
    return found


def system_started_processes(root: etree._Element) -> set[str]:
    """Ids of the processes in a parsed BPMN document that declare ``started_by = system``."""
    return {process.get("id", "") for process in root.iter(f"{{{BPMN_NS}}}process")
            if STARTED_BY_SYSTEM in _property_values(process, STARTED_BY)}


def _property_values(element: etree._Element, name: str) -> list[str]:
    """Values of the element's own ``camunda:property`` named ``name`` (not its form fields')."""
    return [(prop.get("value") or "").strip()
            for prop in element.findall("bpmn:extensionElements/camunda:properties/camunda:property", NS)
            if (prop.get("name") or prop.get("id")) == name and (prop.get("value") or "").strip()]


def parse_rule(text: str) -> Rule:
    """``expression | message [| override: role]`` as a :class:`Rule`; ValueError says what is wrong."""
    if len(text) > MAX_RULE_CHARS:
        raise ValueError(_("a rule is longer than %(n)s characters", n=MAX_RULE_CHARS))
    parts = [part.strip() for part in text.split("|")]
    if len(parts) not in (2, 3) or not all(parts):
        raise ValueError(_("rule %(rule)r needs a condition that must hold and a message, written "
                           "'condition | message [| override: role]'", rule=text))
    override = None
    if len(parts) == 3:
        key, _colon, role = parts[2].partition(":")
        if key.strip() != "override" or not role.strip():
            raise ValueError(_("rule %(rule)r: the third part must be 'override: role'", rule=text))
        override = role.strip()
    try:
        tree = ast.parse(parts[0], mode="eval")
    except SyntaxError as exc:
        raise ValueError(_("the condition %(expression)r is not valid: %(problem)s", expression=parts[0],
                           problem=exc.msg)) from None
    names = dict.fromkeys(node.id for node in ast.walk(tree) if isinstance(node, ast.Name))
    fields = tuple(n for n in names if n not in RULE_HELPERS and not hasattr(builtins, n))
    return Rule(parts[0], parts[1], fields, override)
