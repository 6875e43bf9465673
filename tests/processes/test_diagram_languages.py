"""Process definitions in two languages: labels in the diagram's own (site) language, translations as
``i18n:<language>`` extension properties deployed with the version (issue 14 item 3)."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from crm.accounts.users import User
from engine.errors import DeploymentError
from engine.models import HumanTask

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="defs_i18n" targetNamespace="http://example.com/i18n">"""


def diagram(lane_extension: str = '<camunda:property name="role" value="salesperson" />') -> str:
    """A visit plan whose own labels are Chinese, with English translations; the lane names its role."""
    return HEAD + f"""
  <bpmn:process id="visit_i18n" name="客户拜访" isExecutable="true">
    <bpmn:extensionElements><camunda:properties>
      <camunda:property name="i18n:en" value="Customer visit" /></camunda:properties></bpmn:extensionElements>
    <bpmn:laneSet id="lanes">
      <bpmn:lane id="lane_sales" name="销售员">
        <bpmn:extensionElements><camunda:properties>{lane_extension}
          <camunda:property name="i18n:en" value="Salesperson" /></camunda:properties></bpmn:extensionElements>
        <bpmn:flowNodeRef>start</bpmn:flowNodeRef><bpmn:flowNodeRef>plan</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>done</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="start" name="需要拜访"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="plan" name="制定拜访计划">
      <bpmn:documentation>写明拜访目的和预算</bpmn:documentation>
      <bpmn:extensionElements>
        <camunda:formData>
          <camunda:formField id="purpose" label="拜访目的" type="enum">
            <camunda:properties>
              <camunda:property id="help" value="选择最主要的目的" />
              <camunda:property id="i18n:en:label" value="Purpose of the visit" />
              <camunda:property id="i18n:en:help" value="Pick the main purpose" />
              <camunda:property id="i18n:en:option:survey" value="Market survey" />
              <camunda:property id="i18n:en:option:demo" value="Product demonstration" />
            </camunda:properties>
            <camunda:validation><camunda:constraint name="required" /></camunda:validation>
            <camunda:value id="survey" name="市场调研" /><camunda:value id="demo" name="产品演示" />
          </camunda:formField>
          <camunda:formField id="budget" label="预算" type="decimal">
            <camunda:properties><camunda:property id="i18n:en:label" value="Budget" /></camunda:properties>
          </camunda:formField>
        </camunda:formData>
        <camunda:properties>
          <camunda:property name="rule" value="budget is None or budget &lt;= 1000 | 预算不能超过一千元" />
          <camunda:property name="i18n:en" value="Draft the visit plan" />
          <camunda:property name="i18n:en:documentation" value="State the purpose and the budget" />
          <camunda:property name="i18n:en:rule:1" value="The budget cannot exceed 1,000" />
        </camunda:properties>
      </bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="done" name="已计划"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="plan" />
    <bpmn:sequenceFlow id="f2" sourceRef="plan" targetRef="done" />
  </bpmn:process>
</bpmn:definitions>"""


def deploy(platform, xml: str, name: str = "visit_i18n.bpmn") -> None:
    with platform.sessions.begin() as session:
        platform.engine.deploy(session, {name: xml.encode()}, "owner")


def speak(platform, username: str, language: str) -> None:
    with platform.sessions.begin() as session:
        session.execute(update(User).where(User.username == username).values(language=language))


def start(user, key: str) -> str:
    """Start ``key`` over the API; the id of its first task."""
    created = user.api("POST", f"/api/processes/{key}/instances", json={})
    assert created.status_code == 201, created.get_data(as_text=True)
    return created.json["current_tasks"][0]["id"]


@pytest.mark.parametrize("language, title, field, option, documentation, process", [
    ("en", "Draft the visit plan", "Purpose of the visit", "Product demonstration", "State the purpose and the budget",
     "Customer visit"),
    ("zh_CN", "制定拜访计划", "拜访目的", "产品演示", "写明拜访目的和预算", "客户拜访"),
])
def test_a_user_sees_the_diagram_in_their_language(platform, login, language, title, field, option, documentation,
                                                   process):
    deploy(platform, diagram())
    speak(platform, "sales", language)
    sales = login("sales")
    task_id = start(sales, "visit_i18n")

    listed = sales.get("/worklist/?list=queue").get_data(as_text=True)
    assert title in listed and process in listed
    page = sales.get(f"/tasks/{task_id}").get_data(as_text=True)
    assert all(text in page for text in (title, field, option, documentation))
    other = {"en": "制定拜访计划", "zh_CN": "Draft the visit plan"}[language]
    assert other not in listed and other not in page

    shown = sales.api("GET", f"/api/tasks/{task_id}").json
    assert shown["title"] == title
    purpose = next(f for f in shown["form"]["fields"] if f["id"] == "purpose")
    assert purpose["label"] == field and option in [o["label"] for o in purpose["options"]]
    assert [t["title"] for t in sales.api("GET", "/api/tasks").json["queue"]] == [title]
    assert {"en": "Customer visit", "zh_CN": "客户拜访"}[language] in sales.get("/processes/start").get_data(
        as_text=True)

    refused = sales.api("POST", f"/api/tasks/{task_id}/complete", json={"purpose": "demo", "budget": "5000"})
    message = {"en": "The budget cannot exceed 1,000", "zh_CN": "预算不能超过一千元"}[language]
    assert refused.status_code == 422 and refused.json["fields"]["budget"] == [message]


def test_the_lane_role_property_lets_a_lane_have_a_chinese_name(platform, login):
    deploy(platform, diagram())
    task_id = start(login("sales"), "visit_i18n")
    with platform.sessions() as session:
        row = session.get(HumanTask, task_id)
        assert (row.lane, row.role) == ("销售员", "salesperson")
    assert login("finance").api("POST", "/api/processes/visit_i18n/instances", json={}).status_code == 403


def test_a_diagram_without_translations_shows_its_own_labels_in_every_language(platform, login):
    plain = diagram().replace("i18n:en", "note")
    deploy(platform, plain)
    for language in ("en", "zh_CN"):
        speak(platform, "sales", language)
        sales = login("sales")
        task_id = start(sales, "visit_i18n")
        assert sales.api("GET", f"/api/tasks/{task_id}").json["title"] == "制定拜访计划"
        assert "拜访目的" in sales.get(f"/tasks/{task_id}").get_data(as_text=True)


def test_an_english_diagram_without_translations_keeps_its_labels_for_a_chinese_user(platform, login):
    english = (HEAD + """<bpmn:process id="plain" name="Plain" isExecutable="true"><bpmn:laneSet id="l">
      <bpmn:lane id="lane" name="Salesperson"><bpmn:flowNodeRef>s</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>t</bpmn:flowNodeRef>
      </bpmn:lane></bpmn:laneSet>
      <bpmn:startEvent id="s"><bpmn:outgoing>a</bpmn:outgoing></bpmn:startEvent>
      <bpmn:userTask id="t" name="Call the customer"><bpmn:extensionElements><camunda:formData>
        <camunda:formField id="note" label="Note" type="string" /></camunda:formData></bpmn:extensionElements>
        <bpmn:incoming>a</bpmn:incoming><bpmn:outgoing>b</bpmn:outgoing></bpmn:userTask>
      <bpmn:endEvent id="e"><bpmn:incoming>b</bpmn:incoming></bpmn:endEvent>
      <bpmn:sequenceFlow id="a" sourceRef="s" targetRef="t" /><bpmn:sequenceFlow id="b" sourceRef="t" targetRef="e" />
    </bpmn:process></bpmn:definitions>""")
    deploy(platform, english, "plain.bpmn")
    speak(platform, "sales", "zh_CN")
    sales = login("sales")
    task_id = start(sales, "plain")
    shown = sales.api("GET", f"/api/tasks/{task_id}").json
    assert shown["title"] == "Call the customer" and shown["form"]["fields"][0]["label"] == "Note"
    assert "Call the customer" in sales.get("/worklist/?list=queue").get_data(as_text=True)


@pytest.mark.parametrize("extension, message", [
    ('<camunda:property name="role" value="janitor" />', "lane '销售员' names the unknown role 'janitor': choose the "
                                                         "lane's Approver role from the list"),
    ("", "lane '销售员' is not a known role: choose the lane's Approver role from the list"),
])
def test_a_lane_whose_role_is_unknown_is_refused(platform, extension, message):
    with pytest.raises(DeploymentError) as refused:
        deploy(platform, diagram(extension))
    assert message in [p["message"] for p in refused.value.problems]


@pytest.mark.parametrize("bad, message", [
    ('<camunda:property name="i18n:en:title" value="x" />', "translation 'i18n:en:title': an element takes"),
    ('<camunda:property name="i18n:" value="x" />', "translation 'i18n:': write i18n:<language>"),
])
def test_a_malformed_translation_is_refused(platform, bad, message):
    with pytest.raises(DeploymentError) as refused:
        deploy(platform, diagram().replace('<camunda:property name="i18n:en" value="Customer visit" />', bad))
    assert any(p["message"].startswith(message) for p in refused.value.problems)


def test_an_option_translation_must_name_an_option(platform):
    with pytest.raises(DeploymentError) as refused:
        deploy(platform, diagram().replace("i18n:en:option:demo", "i18n:en:option:demos"))
    assert "the field has no option 'demos'" in str(refused.value.problems)


def test_the_task_row_keeps_the_diagrams_own_title(platform, login):
    """Search and history use the stored title; showing a page does not write the translation back."""
    deploy(platform, diagram())
    speak(platform, "sales", "en")
    sales = login("sales")
    task_id = start(sales, "visit_i18n")
    sales.get(f"/tasks/{task_id}")
    sales.get("/worklist/?list=queue")
    with platform.sessions() as session:
        assert session.scalar(select(HumanTask.title).where(HumanTask.id == task_id)) == "制定拜访计划"
