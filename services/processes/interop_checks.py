"""Diagrams from other modelers (Camunda Modeler 7, bpmn.io): what this platform would not execute.

Nothing is dropped quietly. Extensions whose absence changes what a process does (listeners, Java
delegates, input/output mappings, JUEL expressions, signals, escalations, compensation, ...) are
errors and refuse the deployment, naming the element. Extensions that only carry metadata or hints
the platform decides differently (assignees, async flags, history settings) are warnings: shown to
the process owner, not blocking.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from engine.deployment import Check
from engine.parser import BPMN_NS, CAMUNDA_NS, DMN_NAMESPACES, NS, ParsedBundle
from i18n import _, _l
from services.processes.rule_overlaps import overlapping_rules

SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"
KNOWN_NAMESPACES = {BPMN_NS, CAMUNDA_NS, SPIFF_NS, *DMN_NAMESPACES,
                    "http://www.omg.org/spec/BPMN/20100524/DI", "http://www.omg.org/spec/DD/20100524/DC",
                    "http://www.omg.org/spec/DD/20100524/DI", "http://www.omg.org/spec/DMN/20180521/DI/",
                    "https://www.omg.org/spec/DMN/20191111/DMNDI/", "http://www.omg.org/spec/DMN/20180521/DMNDI/",
                    "http://www.omg.org/spec/DMN/20180521/DC/", "http://www.w3.org/2001/XMLSchema-instance",
                    "http://bpmn.io/schema/bpmn/biocolor/1.0", "http://www.omg.org/spec/BPMN/non-normative/color/1.0",
                    "http://camunda.org/schema/modeler/1.0"}

_LISTENER = _l("is not run by this platform; model the work as a script or service task instead")
_DELEGATE = (_l("is a Camunda Java/expression delegate, which this platform does not run; "
               "use a service task operation (spiffworkflow:serviceTaskOperator) registered in handlers/"))

CAMUNDA_ELEMENT_ERRORS = {
    "executionListener": _l("execution listener %(problem)s", problem=_LISTENER),
    "taskListener": _l("task listener %(problem)s", problem=_LISTENER),
    "inputOutput": _l("input/output mapping is not applied; map data in a script task or in service parameters"),
    "in": _l("call activity input mapping (camunda:in) is not applied: the called process receives all data"),
    "out": _l("call activity output mapping (camunda:out) is not applied: all data of the called process comes back"),
    "connector": _l("connector %(problem)s", problem=_DELEGATE),
    "field": _l("field injection %(problem)s", problem=_DELEGATE),
    "errorEventDefinition": _l("external-task error mapping is not run by this platform"),
}
CAMUNDA_ATTRIBUTE_ERRORS = {
    "class": _l("camunda:class %(problem)s", problem=_DELEGATE),
    "expression": _l("camunda:expression %(problem)s", problem=_DELEGATE),
    "delegateExpression": _l("camunda:delegateExpression %(problem)s", problem=_DELEGATE),
    "type": _l("camunda:type (external task) %(problem)s", problem=_DELEGATE),
    "topic": _l("camunda:topic (external task) %(problem)s", problem=_DELEGATE),
    "resultVariable": _l("camunda:resultVariable is not set here: a script sets the variables it assigns, "
                        "a decision's outputs are merged into the process data"),
    "resource": _l("external script resources are not loaded; put the script inline"),
    "formKey": _l("external forms (camunda:formKey) are not shown; define the fields with camunda:formData"),
    "formRef": _l("Camunda Forms (camunda:formRef) are not shown; define the fields with camunda:formData"),
    "initiator": _l("camunda:initiator is not set; the starter is recorded in the instance history instead"),
    "decisionRef": _l("camunda:decisionRef is not read; name the decision with spiffworkflow:calledDecisionId"),
    "collection": _l("camunda:collection is not read; use the loop's data input (loopDataInputRef / inputDataItem)"),
    "elementVariable": _l("camunda:elementVariable is not read; use the loop's data input item (inputDataItem)"),
    "variableName": _l("conditional event variables are not supported"),
    "variableEvents": _l("conditional event variables are not supported"),
}
CAMUNDA_ATTRIBUTE_WARNINGS = {
    "candidateUsers": _l("ignored: the lane decides who works on this task"),
    "candidateGroups": _l("ignored: the lane decides who works on this task"),
    "followUpDate": _l("ignored: follow-up dates are set by the assignee in the worklist"),
    "asyncBefore": _l("ignored: the platform decides transaction boundaries (background operations run in jobs)"),
    "asyncAfter": _l("ignored: the platform decides transaction boundaries (background operations run in jobs)"),
    "exclusive": _l("ignored: the platform locks the whole instance while it runs"),
    "jobPriority": _l("ignored: jobs run in the order they are due"),
    "taskPriority": _l("ignored: jobs run in the order they are due"),
    "calledElementBinding": _l("ignored: the called process's version is fixed when this process is deployed"),
    "calledElementVersion": _l("ignored: the called process's version is fixed when this process is deployed"),
    "calledElementVersionTag": _l("ignored: the called process's version is fixed when this process is deployed"),
    "calledElementTenantId": _l("ignored: there are no tenants"),
    "historyTimeToLive": _l("ignored: history is kept"),
    "versionTag": _l("ignored: versions are numbered on deployment"),
    "isStartableInTasklist": _l("ignored: the start menu lists processes by the start lane's role"),
    "candidateStarterGroups": _l("ignored: the start event's lane decides who may start the process"),
    "candidateStarterUsers": _l("ignored: the start event's lane decides who may start the process"),
    "modelerTemplate": _l("ignored: element templates are a modeler feature"),
    "modelerTemplateVersion": _l("ignored: element templates are a modeler feature"),
    "inputVariable": _l("ignored: decision inputs are read by their expressions"),
}
CAMUNDA_FORM_PARTS = {"formData", "formField", "validation", "constraint", "value", "properties", "property"}
CAMUNDA_USER_TASK_ATTRIBUTES = {"dueDate", "priority", "assignee"}
CAMUNDA_ELEMENT_WARNINGS = {
    "failedJobRetryTimeCycle": _l("ignored: failed operations are retried by the platform's own policy"),
    "properties": _l("ignored: extension properties other than context and rule (on user tasks and processes) "
                    "are not read outside form fields"),
    "potentialStarter": _l("ignored: the start event's lane decides who may start the process"),
}
ZEEBE_NS = "http://camunda.org/schema/zeebe/1.0"
FOREIGN_ELEMENT_ERRORS = {
    (ZEEBE_NS, "taskDefinition"): _l("Camunda 8 job workers are not run here; use a service task operation "
                                    "(spiffworkflow:serviceTaskOperator) registered in handlers/"),
    (ZEEBE_NS, "ioMapping"): _l("Camunda 8 input/output mapping is not applied; map data in a script task or in "
                               "service parameters"),
    (ZEEBE_NS, "calledDecision"): _l("zeebe:calledDecision is not read; name the decision with "
                                    "spiffworkflow:calledDecisionId"),
    (ZEEBE_NS, "calledElement"): _l("zeebe:calledElement is not read; set calledElement on the call activity"),
    (ZEEBE_NS, "loopCharacteristics"): _l("zeebe:loopCharacteristics is not read; use the loop's data input"),
    (ZEEBE_NS, "formDefinition"): _l("Camunda 8 forms are not shown; define the fields with camunda:formData"),
    (ZEEBE_NS, "userTaskForm"): _l("Camunda 8 forms are not shown; define the fields with camunda:formData"),
    (ZEEBE_NS, "executionListeners"): _l("execution listener %(problem)s", problem=_LISTENER),
}
EVENT_ERRORS = {
    "signalEventDefinition": _l("signals are not routed on this platform; use a message within the process "
                               "or a service task"),
    "escalationEventDefinition": _l("escalations are not run on this platform; use an error event or a gateway"),
    "compensateEventDefinition": _l("compensation is not run on this platform; model the undo steps explicitly"),
    "conditionalEventDefinition": _l("conditional events are not evaluated on this platform; use a gateway or timer"),
}
ELEMENT_ERRORS = {
    "complexGateway": _l("complex gateways are not supported; use exclusive, inclusive or parallel gateways"),
    "adHocSubProcess": _l("ad-hoc subprocesses are not supported; use a subprocess with explicit flows"),
}
ELEMENT_WARNINGS = {
    "dataStoreReference": _l("ignored: data stores are documentation only"),
}
RESERVED_IDS = {"Start", "End", "Root"}
PYTHON_FORMATS = {"", "python", "py", "text/x-python", "application/x-python"}
SUPPORTED_HIT_POLICIES = {"UNIQUE", "FIRST", "COLLECT"}
_ISO_TIMER = re.compile(
    r"^(R\d*/)?(P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?|\d{4}-\d\d-\d\d\S*)$"
)


@dataclass(frozen=True)
class Finding:
    """One thing this platform would not execute as written."""

    file: str
    line: int | None
    element: str | None
    message: str
    severity: str  # "error" | "warning"

    def as_problem(self) -> dict:
        return {"file": self.file, "line": self.line, "element": self.element, "message": self.message,
                "severity": self.severity}


def interop_check() -> Check:
    """The deploy check: errors refuse the deployment; warnings are reported by :func:`findings`."""

    def check(bundle: ParsedBundle, uploaded: dict[str, bytes]) -> list[dict]:
        return [f.as_problem() for name in uploaded if name in bundle.roots
                for f in findings(name, bundle.roots[name]) if f.severity == "error"]

    return check


def findings(filename: str, root: etree._Element) -> list[Finding]:
    """Every error and warning for one parsed BPMN or DMN document."""
    if etree.QName(root).namespace in DMN_NAMESPACES:
        return list(_dmn_findings(filename, root))
    return list(_bpmn_findings(filename, root))


def _owner(element: etree._Element) -> etree._Element:
    """The BPMN element an extension belongs to (the nearest ancestor with an id outside extensions)."""
    node = element
    while node is not None:
        parent = node.getparent()
        inside_extension = any(etree.QName(a).localname == "extensionElements" for a in node.iterancestors())
        local = etree.QName(node).localname
        if (node.get("id") and etree.QName(node).namespace in (BPMN_NS, *DMN_NAMESPACES) and not inside_extension
                and not local.endswith("EventDefinition")):
            return node
        node = parent
    return element


def _finding(filename: str, element: etree._Element, message: str, severity: str = "error") -> Finding:
    owner = _owner(element)
    return Finding(filename, element.sourceline, owner.get("id"), str(message), severity)


def _bpmn_findings(filename: str, root: etree._Element) -> Iterator[Finding]:
    for element in root.iter(etree.Element):
        qname = etree.QName(element)
        if qname.namespace == BPMN_NS and element.get("id") in RESERVED_IDS:
            yield _finding(filename, element, _("the id %(id)r is reserved by the workflow engine and would silently "
                                                "empty the process; rename it, e.g. StartEvent_1 or EndEvent_1",
                                                id=element.get("id")))
        yield from _foreign_attributes(filename, element)
        if qname.namespace == CAMUNDA_NS:
            yield from _camunda_element(filename, element, qname.localname)
        elif qname.namespace == BPMN_NS:
            yield from _bpmn_element(filename, element, qname.localname)
        elif (qname.namespace, qname.localname) in FOREIGN_ELEMENT_ERRORS:
            yield _finding(filename, element, FOREIGN_ELEMENT_ERRORS[qname.namespace, qname.localname])
        elif qname.namespace not in KNOWN_NAMESPACES and _is_extension(element):
            yield _finding(filename, element, _("ignored: extension <%(name)s> (%(namespace)s) is not read by this "
                                                "platform", name=qname.localname, namespace=qname.namespace),
                           "warning")
    yield from _message_findings(filename, root)


def _is_extension(element: etree._Element) -> bool:
    parent = element.getparent()
    return parent is not None and etree.QName(parent).localname == "extensionElements"


def _foreign_attributes(filename: str, element: etree._Element) -> Iterator[Finding]:
    for name in element.attrib:
        attribute = etree.QName(name)
        if attribute.namespace == CAMUNDA_NS:
            local = attribute.localname
            if local in CAMUNDA_USER_TASK_ATTRIBUTES and etree.QName(element).localname == "userTask":
                continue
            if local in CAMUNDA_ATTRIBUTE_ERRORS:
                yield _finding(filename, element, CAMUNDA_ATTRIBUTE_ERRORS[local])
            else:
                message = CAMUNDA_ATTRIBUTE_WARNINGS.get(local, _l("ignored: not read by this platform"))
                yield _finding(filename, element, f"camunda:{local} {message}", "warning")
        elif attribute.namespace and attribute.namespace not in KNOWN_NAMESPACES:
            yield _finding(filename, element, _("ignored: attribute %(name)s (%(namespace)s) is not read by this "
                                                "platform", name=attribute.localname,
                                                namespace=attribute.namespace), "warning")


def _camunda_element(filename: str, element: etree._Element, local: str) -> Iterator[Finding]:
    in_form = any(etree.QName(a).localname == "formData" for a in element.iterancestors())
    if local in CAMUNDA_FORM_PARTS and (local == "formData" or in_form):
        return
    if local == "properties" and _declares_task_properties(element):
        return
    if any(etree.QName(a).namespace == CAMUNDA_NS for a in element.iterancestors()):
        return  # the enclosing camunda element is reported already
    if local in CAMUNDA_ELEMENT_ERRORS:
        yield _finding(filename, element, CAMUNDA_ELEMENT_ERRORS[local])
    else:
        message = CAMUNDA_ELEMENT_WARNINGS.get(local, _l("ignored: not read by this platform"))
        yield _finding(filename, element, f"camunda:{local} {message}", "warning")


def _declares_task_properties(properties: etree._Element) -> bool:
    """``camunda:properties`` of a user task or process holding only ``context`` and ``rule`` (read by forms/)."""
    owner = properties.getparent().getparent() if _is_extension(properties) else None
    names = {(p.get("name") or p.get("id")) for p in properties}
    return (owner is not None and etree.QName(owner).localname in ("userTask", "process")
            and names <= {"context", "rule"})


def _bpmn_element(filename: str, element: etree._Element, local: str) -> Iterator[Finding]:
    if local in EVENT_ERRORS:
        yield _finding(filename, element.getparent(), EVENT_ERRORS[local])
    elif local in ELEMENT_ERRORS:
        yield _finding(filename, element, ELEMENT_ERRORS[local])
    elif local in ELEMENT_WARNINGS:
        yield _finding(filename, element, ELEMENT_WARNINGS[local], "warning")
    elif element.get("isForCompensation") == "true":
        yield _finding(filename, element, EVENT_ERRORS["compensateEventDefinition"])
    elif local == "scriptTask" and (element.get("scriptFormat") or "").strip().lower() not in PYTHON_FORMATS:
        yield _finding(filename, element, _("script format %(format)r would run as Python here; rewrite the script in "
                                            "Python", format=element.get("scriptFormat")))
    elif local == "conditionExpression":
        yield from _expression(filename, element)
    elif local in ("timeDuration", "timeDate", "timeCycle"):
        yield from _timer(filename, element)


def _expression(filename: str, element: etree._Element) -> Iterator[Finding]:
    text = (element.text or "").strip()
    language = (element.get("language") or "").strip().lower()
    if language and language not in PYTHON_FORMATS:
        yield _finding(filename, element, _("condition in %(language)r would run as Python here; rewrite it in "
                                            "Python", language=language))
    elif text.startswith(("${", "#{")):
        yield _finding(filename, element, _("condition %(text)r is a JUEL expression; write it in Python, e.g. "
                                            "approved == True", text=text))


def _timer(filename: str, element: etree._Element) -> Iterator[Finding]:
    text = (element.text or "").strip()
    if text.startswith(("${", "#{")):
        yield _finding(filename, element, _("timer %(text)r is a JUEL expression; write a Python expression",
                                            text=text))
    elif _ISO_TIMER.match(text):
        yield _finding(filename, element, _("timer value %(text)s must be a Python string here: write \"%(text)s\"",
                                            text=text))


def _message_findings(filename: str, root: etree._Element) -> Iterator[Finding]:
    """Messages reach only the instance that throws them: a catch needs a throw in the same process."""
    for process in root.iterfind("bpmn:process", NS):
        thrown, catches = set(), []
        for element in process.iter(f"{{{BPMN_NS}}}*"):
            local = etree.QName(element).localname
            definition = element.find("bpmn:messageEventDefinition", NS)
            if local == "sendTask" or (definition is not None and local in ("intermediateThrowEvent", "endEvent")):
                thrown.add(element.get("messageRef") if definition is None else definition.get("messageRef"))
            elif local == "startEvent" and definition is not None and element.getparent() is process:
                yield _finding(filename, element, _("message start events are not supported: processes are "
                                                    "started from the start menu or the API"))
            elif local == "receiveTask" or definition is not None:
                catches.append((element, element.get("messageRef") if definition is None
                                else definition.get("messageRef")))
        for element, ref in catches:
            if ref not in thrown:
                yield _finding(filename, element, _("nothing in this process sends message %(ref)r; messages are "
                                                    "not delivered between process instances, so this would wait "
                                                    "forever", ref=ref))


def _dmn_findings(filename: str, root: etree._Element) -> Iterator[Finding]:
    for element in root.iter(etree.Element):
        yield from _foreign_attributes(filename, element)
        if etree.QName(element).localname != "decisionTable":
            continue
        policy = (element.get("hitPolicy") or "UNIQUE").upper()
        if policy not in SUPPORTED_HIT_POLICIES:
            yield _finding(filename, element, _("hit policy %(policy)s is not supported; use UNIQUE, FIRST or COLLECT",
                                            policy=policy))
        elif element.get("aggregation"):
            yield _finding(filename, element, _("COLLECT with aggregation %(aggregation)s is not supported; aggregate "
                                                "the collected list in a script task",
                                                aggregation=element.get("aggregation")))
        elif policy == "UNIQUE":
            for first, second, rule in overlapping_rules(element):
                yield _finding(filename, rule, _(
                    "rules %(first)s and %(second)s can both match the same inputs, but hit policy UNIQUE allows one "
                    "match only: make their conditions exclusive, or use hit policy FIRST (the first matching rule "
                    "wins)", first=first, second=second))
