"""The platform's own rules, checked before a BPMN file is deployed.

Every user task sits in a lane that is a known role and declares a form; every service operation is
registered; every exclusive gateway has a default flow or conditions on all outgoing flows; scripts,
conditions and parameter expressions compile in the sandbox; timer expressions that need no process
data are evaluated (under the script limits: a runaway one is reported, not waited for) and must give
an ISO-8601 value.
"""

from __future__ import annotations

from lxml import etree
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

from crm.accounts.users import ROLES
from engine.deployment import Check
from engine.errors import ScriptLimitExceeded, ScriptSecurityError
from engine.parser import NS, ParsedBundle, lane_role, role_key
from engine.sandbox import SandboxedEnvironment, ScriptLimits, check_source
from engine.services import HandlerRegistry
from forms import FormDefinitionError, parse_rule, read_declarations, read_form
from forms.declarations import STARTED_BY, STARTED_BY_SYSTEM
from i18n import _
from services.processes import translations
from services.processes.task_context import VIEWS

SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"
XNS = {**NS, "spiffworkflow": SPIFF_NS}


def platform_checks(registry: HandlerRegistry, limits: ScriptLimits | None = None) -> list[Check]:
    """The checks the engine runs on every deployment (timer expressions evaluated within ``limits``)."""
    environment = SandboxedEnvironment(limits)

    def check(bundle: ParsedBundle, uploaded: dict[str, bytes]) -> list[dict]:
        problems: list[dict] = []
        for filename in uploaded:
            root = bundle.roots.get(filename)
            if root is None or etree.QName(root).localname != "definitions":
                continue
            problems += _check_translations(filename, root)
            for process in root.iterfind("bpmn:process", NS):
                problems += _check_process(filename, process, registry, environment)
        return problems

    return [check]


def _problem(filename: str, element: etree._Element, message: str) -> dict:
    return {"file": filename, "line": element.sourceline, "element": element.get("id"), "message": message}


def _check_translations(filename: str, root: etree._Element) -> list[dict]:
    """Every ``i18n:`` property is well formed (see :mod:`services.processes.translations`)."""
    return [{"file": filename, "line": entry.property.sourceline, "element": entry.owner.get("id"), "message": text}
            for entry in translations.entries(root) if (text := translations.problem(entry)) is not None]


def _check_started_by(filename: str, process: etree._Element) -> list[dict]:
    """``started_by``, when a process declares it, is ``system`` (the only starter besides people)."""
    return [_problem(filename, process, _("“%(property)s” is %(value)r; the only value is %(system)r",
                                          property=STARTED_BY, value=value, system=STARTED_BY_SYSTEM))
            for prop in process.iterfind("bpmn:extensionElements/camunda:properties/camunda:property", NS)
            if (prop.get("name") or prop.get("id")) == STARTED_BY
            and (value := (prop.get("value") or "").strip()) != STARTED_BY_SYSTEM]


def _unknown_role(lane: etree._Element) -> str:
    name = lane.get("name") or lane.get("id")
    if lane_role(lane) != role_key(name or ""):
        return _("lane %(lane)r names the unknown role %(role)r: choose the lane's Approver role from the list",
                 lane=name, role=lane_role(lane))
    return _("lane %(lane)r is not a known role: choose the lane's Approver role from the list", lane=name)


def _check_process(
    filename: str, process: etree._Element, registry: HandlerRegistry, environment: SandboxedEnvironment
) -> list[dict]:
    problems = []
    lanes = {
        (ref.text or "").strip(): lane
        for lane in process.iterfind(".//bpmn:lane", NS) for ref in lane.iterfind("bpmn:flowNodeRef", NS)
    }
    problems += _check_started_by(filename, process)
    for task in process.iterfind(".//bpmn:userTask", NS):
        lane = lanes.get(task.get("id"))
        if lane is None:
            problems.append(_problem(filename, task, _("the task is not in a lane: draw it inside the lane of the "
                                                       "role that does it (lanes are approver roles)")))
        elif lane_role(lane) not in ROLES:
            problems.append(_problem(filename, task, _unknown_role(lane)))
        problems += _check_form(filename, task)
        problems += _check_declarations(filename, task)
    for event in process.iterfind(".//bpmn:startEvent", NS):
        if event.find("bpmn:extensionElements/camunda:formData", NS) is not None:
            problems += _check_form(filename, event)
    for operator in process.iterfind(".//spiffworkflow:serviceTaskOperator", XNS):
        task = operator.getparent().getparent()
        name = operator.get("id")
        if registry.get(name) is None:
            problems.append(_problem(filename, task, _("service operation %(name)r does not exist: choose one under "
                                                       "Service operation", name=name)))
        for param in operator.iterfind(".//spiffworkflow:parameter", XNS):
            problems += _check_code(filename, task, param.get("value") or "None", "eval")
    problems += _check_gateways(filename, process)
    for script in process.iterfind(".//bpmn:script", NS):
        problems += _check_code(filename, script.getparent(), script.text or "", "exec")
    for tag in ("preScript", "postScript"):
        for script in process.iterfind(f".//spiffworkflow:{tag}", XNS):
            problems += _check_code(filename, script.getparent().getparent(), script.text or "", "exec")
    for condition in process.iterfind(".//bpmn:conditionExpression", NS):
        problems += _check_code(filename, condition.getparent(), condition.text or "", "eval")
    problems += _check_timers(filename, process, environment)
    return problems


def _check_form(filename: str, task: etree._Element) -> list[dict]:
    if task.find("bpmn:extensionElements/camunda:formData", NS) is None:
        return [_problem(filename, task, _("the task has no form: add the fields the user fills in under Form"))]
    try:
        read_form(task)
    except FormDefinitionError as exc:
        return [_problem(filename, task, _("Form: %(problem)s", problem=exc))]
    return []


def _check_declarations(filename: str, task: etree._Element) -> list[dict]:
    """The task's ``context`` kind is known; each ``rule`` parses, compiles in the sandbox, names a known role."""
    problems = []
    for prop in task.findall("bpmn:extensionElements/camunda:properties/camunda:property", NS):
        name, value = prop.get("name") or prop.get("id"), (prop.get("value") or "").strip()
        if name == "context" and value not in VIEWS:
            problems.append(_problem(filename, task, _("Record shown beside the form: %(kind)r is not a record kind "
                                                       "(%(kinds)s)", kind=value, kinds=", ".join(sorted(VIEWS)))))
        elif name == "rule":
            try:
                rule = parse_rule(value)
            except ValueError as exc:
                problems.append(_problem(filename, task, _("Rules: %(problem)s", problem=exc)))
                continue
            try:
                check_source(rule.expression, "eval")
            except ScriptSecurityError as exc:
                problems.append(_problem(filename, task, _("Rules: the condition %(expression)r is refused: "
                                                           "%(problem)s", expression=rule.expression, problem=exc)))
            if rule.override_role and rule.override_role not in ROLES:
                problems.append(_problem(filename, task, _("Rules: the role that may override, %(role)r, is not "
                                                           "a role", role=rule.override_role)))
    return problems


def missing_context(filename: str, root: etree._Element) -> list[dict]:
    """Warnings naming every user task that shows no record beside its form (no ``context`` property)."""
    try:
        declared = read_declarations(root)
    except FormDefinitionError:
        return []  # a malformed rule is a deploy error already
    return [{**_problem(filename, task, _("task '%(task)s' declares no context: its page shows no record beside "
                                          "the form; choose one under Record shown beside the form",
                                          task=task.get("name") or task.get("id"))),
             "severity": "warning"}
            for task in root.iter(f"{{{NS['bpmn']}}}userTask") if not declared.get(task.get("id", "")).context]


def _check_code(filename: str, element: etree._Element, source: str, mode: str) -> list[dict]:
    try:
        check_source(source.strip() if mode == "eval" else source, mode)
    except ScriptSecurityError as exc:
        return [_problem(filename, element, _("script refused: %(problem)s", problem=exc))]
    return []


def _check_gateways(filename: str, process: etree._Element) -> list[dict]:
    problems = []
    flows = {f.get("id"): f for f in process.iterfind("bpmn:sequenceFlow", NS)}
    for gateway in process.iterfind(".//bpmn:exclusiveGateway", NS):
        outgoing = [flows[o.text.strip()] for o in gateway.iterfind("bpmn:outgoing", NS) if o.text.strip() in flows]
        if len(outgoing) < 2 or gateway.get("default"):
            continue
        if any(f.find("bpmn:conditionExpression", NS) is None for f in outgoing):
            problems.append(_problem(
                filename, gateway, _("this decision (exclusive gateway) needs a default path or a condition on every "
                                     "path out of it: tick 'Taken when no other condition holds' on one path")
            ))
    return problems


def _check_timers(filename: str, process: etree._Element, environment: SandboxedEnvironment) -> list[dict]:
    problems = []
    for timer in process.iterfind(".//bpmn:timerEventDefinition", NS):
        event = timer.getparent()
        for child in timer:
            expression = (child.text or "").strip()
            code_problems = _check_code(filename, event, expression, "eval")
            kind = etree.QName(child).localname
            problems += code_problems or _check_timer_value(filename, event, kind, expression, environment)
    return problems


def _check_timer_value(filename, event, kind: str, expression: str, environment) -> list[dict]:
    try:
        value = environment.evaluate(expression, {})
    except NameError:
        return []  # depends on process data: checked when it runs
    except ScriptLimitExceeded as exc:
        return [_problem(filename, event, _("timer expression %(problem)s", problem=exc))]
    except Exception as exc:
        return [_problem(filename, event, _("timer expression fails: %(problem)s", problem=exc))]
    try:
        if kind == "timeDuration":
            TimerEventDefinition.parse_iso_duration(value)
        elif kind == "timeDate":
            TimerEventDefinition.get_datetime(value)
        else:
            TimerEventDefinition.parse_iso_recurring_interval(value)
    except Exception:
        return [_problem(filename, event, _("timer value %(value)r is not a valid ISO-8601 %(kind)s",
                                                   value=value, kind=kind))]
    return []
