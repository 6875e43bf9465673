"""The test approval chain (v1) and the edits a process owner makes to it."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from engine.models import HumanTask, ProcessVersion

ROOT = Path(__file__).resolve().parents[1]
CHAIN = ROOT / "browser" / "fixtures" / "approval_chain.bpmn"
CORPUS = Path(__file__).parent / "corpus"
KEY = "discount_approval"
FILE = "approval_chain.bpmn"

SALESDIR_TASK = """<bpmn:userTask id="salesdir_approval" name="Sales director approval">
      <bpmn:extensionElements><camunda:formData>
        <camunda:formField id="salesdir_ok" label="Sales director approves?" type="boolean" />
      </camunda:formData></bpmn:extensionElements>
      <bpmn:incoming>f3</bpmn:incoming><bpmn:outgoing>f4</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f4" sourceRef="salesdir_approval" targetRef="gw" />
    <bpmn:exclusiveGateway id="gw\""""


def chain() -> str:
    return CHAIN.read_text()


SALESDIR_DI = """<bpmndi:BPMNShape id="salesdir_approval_di" bpmnElement="salesdir_approval">
        <dc:Bounds x="440" y="230" width="100" height="80" /></bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="f3_di" bpmnElement="f3"><di:waypoint x="490" y="180" /><di:waypoint x="490" y="230" />
      </bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="f4_di" bpmnElement="f4"><di:waypoint x="490" y="310" /><di:waypoint x="490" y="410" />
        <di:waypoint x="600" y="410" /></bpmndi:BPMNEdge>"""
F3_DI = ('<bpmndi:BPMNEdge id="f3_di" bpmnElement="f3"><di:waypoint x="490" y="180" /><di:waypoint x="490" y="410" />'
         '<di:waypoint x="600" y="410" /></bpmndi:BPMNEdge>')


def with_salesdir_step(xml: str) -> str:
    """v1 plus a Sales director approval between the review and the gateway, as the modeler would draw it."""
    return (xml
            .replace(F3_DI, SALESDIR_DI)
            .replace('<bpmn:lane id="Lane_salesdir" name="Sales director" />',
                     '<bpmn:lane id="Lane_salesdir" name="Sales director">'
                     "<bpmn:flowNodeRef>salesdir_approval</bpmn:flowNodeRef></bpmn:lane>")
            .replace('<bpmn:sequenceFlow id="f3" sourceRef="review" targetRef="gw" />',
                     '<bpmn:sequenceFlow id="f3" sourceRef="review" targetRef="salesdir_approval" />')
            .replace("<bpmn:incoming>f3</bpmn:incoming><bpmn:outgoing>f_yes</bpmn:outgoing>",
                     "<bpmn:incoming>f4</bpmn:incoming><bpmn:outgoing>f_yes</bpmn:outgoing>")
            .replace('<bpmn:exclusiveGateway id="gw"', SALESDIR_TASK, 1))


def with_request_field(xml: str) -> str:
    """The request form gets a field: the request task's definition changes."""
    return xml.replace('<camunda:formField id="reason" label="Reason" type="string" />',
                       '<camunda:formField id="reason" label="Reason" type="string" />'
                       '<camunda:formField id="customer" label="Customer" type="string" />')


def without_review(xml: str) -> str:
    """The customer director's review is removed: the request goes straight to the gateway."""
    start = xml.index('<bpmn:userTask id="review"')
    end = xml.index("</bpmn:userTask>", start) + len("</bpmn:userTask>")
    return (xml[:start] + xml[end:])\
        .replace("<bpmn:flowNodeRef>review</bpmn:flowNodeRef>", "")\
        .replace('<bpmn:sequenceFlow id="f2" sourceRef="request" targetRef="review" />',
                 '<bpmn:sequenceFlow id="f2" sourceRef="request" targetRef="gw" />')\
        .replace('<bpmn:sequenceFlow id="f3" sourceRef="review" targetRef="gw" />', "")\
        .replace("<bpmn:incoming>f3</bpmn:incoming><bpmn:outgoing>f_yes</bpmn:outgoing>",
                 "<bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f_yes</bpmn:outgoing>")


def deploy(platform, xml: str, user: str = "owner") -> int:
    """Deploy the chain's file; returns the version number in force."""
    with platform.sessions.begin() as session:
        [result] = platform.engine.deploy(session, {FILE: xml.encode()}, user)
        return result.version.version


def versions(platform) -> list[tuple[int, str]]:
    with platform.sessions() as session:
        return [(v.version, v.source_xml) for v in session.scalars(
            select(ProcessVersion).where(ProcessVersion.process_key == KEY).order_by(ProcessVersion.version))]


def ready(platform, instance_id: int) -> list[HumanTask]:
    with platform.sessions() as session:
        return list(session.scalars(select(HumanTask).where(
            HumanTask.instance_id == instance_id, HumanTask.status == "ready")))
