"""Diagrams made with other tools (Camunda Modeler 7/8, bpmn.io, by hand): they deploy, or the owner gets a
report naming every element the platform would not run as drawn. Nothing is dropped silently."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from engine.models import ProcessVersion
from services.processes import authoring as process_authoring
from tests.engine.helpers import complete, data, instance, start
from tests.processes.helpers import CORPUS, ready


def files(*names: str) -> dict[str, str]:
    return {name: (CORPUS / name).read_text() for name in names}


def report(platform, bundle: dict[str, str]):
    with platform.sessions() as session:
        return process_authoring.validate(session, platform.engine, bundle)


REFUSED = {
    "camunda7_unsupported.bpmn": {
        ("order_check", "execution listener"), ("StartEvent_1", "camunda:initiator"),
        ("Task_fetch", "camunda:class"), ("Task_fetch", "input/output mapping"),
        ("Task_review", "camunda:formKey"), ("Task_review", "task listener"),
        ("Task_score", "script format 'groovy'"), ("Task_score", "camunda:resultVariable"),
        ("Event_wait", 'must be a Python string here: write "PT1H"'), ("Event_stop", "signals are not routed"),
        ("Flow_high", "JUEL expression"),
    },
    "bpmnio_plain.bpmn": {("Process_1", "not executable"), ("Activity_0plan", "not in a lane"),
                          ("Activity_0plan", "has no form")},
    "bpmnio_escalation_compensation.bpmn": {
        ("Sub_escalate", "escalations"), ("Boundary_late", "escalations"), ("Boundary_undo", "compensation"),
        ("Task_cancel", "compensation")},
    "message_pools.bpmn": {("Catch_quote", "nothing in this process sends message 'Message_quote'")},
    "camunda8_zeebe.bpmn": {("Send", "Camunda 8 job workers"), ("Send", "Camunda 8 input/output mapping")},
    "handwritten_reserved_ids.bpmn": {("Start", "reserved"), ("End", "reserved")},
}


@pytest.mark.parametrize("name", REFUSED)
def test_unsupported_features_are_reported_per_element(platform, name):
    result = report(platform, files(name))
    assert not result.ok
    for element, text in REFUSED[name]:
        assert any(e["element"] == element and text in e["message"] and e["file"] == name for e in result.errors), (
            element, text, result.errors)
    assert all(e["severity"] == "error" for e in result.errors)


def test_camunda_decision_reference_and_unsupported_hit_policy(platform):
    camunda = report(platform, files("discount_check_camunda.bpmn", "discount_rules.dmn"))
    assert any(e["element"] == "Decide" and "spiffworkflow:calledDecisionId" in e["message"] for e in camunda.errors)
    rule_order = report(platform, {**files("discount_check.bpmn"),
                                   "discount_rules.dmn": (CORPUS / "discount_rules_rule_order.dmn").read_text()})
    assert [(e["element"], e["message"][:25]) for e in rule_order.errors] == [
        ("DecisionTable_ro", "hit policy RULE ORDER is ")]


def test_camunda_modeler_file_deploys_with_warnings_and_runs(platform, actors, login):
    result = report(platform, files("camunda7_supported.bpmn"))
    assert result.ok
    assert {(w["element"], w["message"].split(" ")[0]) for w in result.warnings} == {
        ("visit_expense", "camunda:historyTimeToLive"), ("visit_expense", "camunda:versionTag"),
        ("Activity_0claim", "camunda:candidateGroups"), ("Activity_0claim", "camunda:asyncBefore"),
        ("Activity_0claim", "task"), ("Activity_1check", "task")}  # user tasks without a context (issue 13)
    owner = login("owner")
    response = owner.post("/processes/library/upload",
                          {"files": (io.BytesIO((CORPUS / "camunda7_supported.bpmn").read_bytes()),
                                     "camunda7_supported.bpmn")}, content_type="multipart/form-data",
                          follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Visit expense: deployed as version 1." in page
    assert "camunda:candidateGroups ignored: the lane decides who works on this task" in page
    instance_id = start(platform, "visit_expense", actors["sales"])
    complete(platform, ready(platform, instance_id)[0].id, actors["sales"], {"total": 120, "kind": "travel"})
    complete(platform, ready(platform, instance_id)[0].id, actors["finance"], {"accepted": True})
    assert instance(platform, instance_id).status == "completed" and data(platform, instance_id)["booked"] == 120


def test_decision_table_from_camunda_modeler_deploys_and_decides(platform, actors):
    bundle = files("discount_check.bpmn", "discount_rules.dmn")
    assert report(platform, bundle).ok
    with platform.sessions.begin() as session:
        process_authoring.deploy(session, platform.engine, bundle, actors["owner"])
    instance_id = start(platform, "discount_check", actors["sales"])
    complete(platform, ready(platform, instance_id)[0].id, actors["sales"], {"grade": "key"})
    assert data(platform, instance_id)["limit"] == 15


@pytest.mark.parametrize("name", REFUSED)
def test_refused_uploads_change_nothing(platform, login, name):
    response = login("owner").post("/processes/library/upload",
                                   {"files": (io.BytesIO((CORPUS / name).read_bytes()), name)},
                                   content_type="multipart/form-data")
    assert response.status_code == 422
    with platform.sessions() as session:
        assert session.scalar(select(func.count()).select_from(ProcessVersion)) == 0
