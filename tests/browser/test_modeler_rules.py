"""In chromium: the process owner opens a diagram (fitted), adds a decimal field with a maximum and a cross-field
rule through the properties panel, and deploys; the next instance enforces both over HTML and the API
(issue 13 item 5)."""

from __future__ import annotations

import html

import pytest
from lxml import etree
from playwright.sync_api import Page, expect
from sqlalchemy import select, update

from crm.accounts.users import User
from engine.models import ProcessVersion
from forms import read_declarations
from tests.browser.test_diagram_fit import assert_readable
from tests.browser.test_modeler_flow import add_field, open_modeler, select_element
from tests.engine.helpers import instance, start
from tests.processes.helpers import KEY, chain, deploy, ready
from tests.support.browser import sign_in

pytestmark = pytest.mark.browser

RULE_MESSAGE = "The granted discount exceeds the requested amount"


def add_granted_amount_and_rule(page: Page) -> None:
    """On the customer director's review: a decimal 'granted' field of at most 10,000 and the rule that it does
    not exceed the requested amount, with the finance role allowed to override."""
    select_element(page, "review", "USER TASK")
    form = page.locator("[data-group-id='group-crm-form-fields']")
    expect(form.locator(".bio-properties-panel-group-header-title")).to_have_text("Form")
    expect(form.locator(".bio-properties-panel-group-header-title [title='camunda:formData']")).to_be_attached()
    field = add_field(page, 1, "granted", "Granted discount", "decimal")
    expect(page.locator(f"{field}-maxlength")).to_have_count(0)  # text constraints are not offered for numbers
    page.fill(f"{field}-max", "10000")
    page.check(f"{field}-required")

    page.click("[data-group-id='group-crm-rules'] .bio-properties-panel-add-entry")
    page.fill("#bio-properties-panel-crm-rule-0-expression", "granted <= amount")
    # a rule without its message: Validate explains it in the panel's words and marks the task
    page.click("#crm-validate")
    expect(page.locator("#crm-status")).to_have_text("1 problem(s) must be fixed before deploying.")
    expect(page.locator(".crm-problem-error[data-element='review']")).to_contain_text(
        "Rules: rule 'granted <= amount |' needs a condition that must hold and a message")
    expect(page.locator("g.djs-element.crm-problem-error[data-element-id='review']")).to_be_attached()
    expect(page.locator("[data-group-id='group-crm-problems']")).to_contain_text("needs a condition that must hold")
    page.fill("#bio-properties-panel-crm-rule-0-message", RULE_MESSAGE)
    page.select_option("#bio-properties-panel-crm-rule-0-override", "finance")


def test_owner_adds_a_capped_field_and_a_rule_and_the_next_instance_enforces_both(
        platform, live_server, browser_page, actors, login):
    deploy(platform, chain())
    page = browser_page
    sign_in(page, live_server, "owner")
    open_modeler(page, live_server)
    assert_readable(page, ".crm-editor-pane:not(.d-none) .crm-modeler-canvas")
    add_granted_amount_and_rule(page)

    page.click("#crm-validate")
    expect(page.locator("#crm-status")).to_have_text("No errors: this draft can be deployed.")
    problems = page.locator("[data-group-id='group-crm-problems']")
    expect(problems).not_to_contain_text("needs a condition")
    expect(problems).to_contain_text("declares no context")  # a warning: the record beside the form is unset
    page.fill("#crm-comment", "cap the granted discount")
    page.click("#crm-deploy")
    expect(page.locator("#crm-status")).to_have_text("Deployed: Discount approval v2.")
    with platform.sessions() as session:
        source = session.scalar(select(ProcessVersion.source_xml).where(ProcessVersion.version == 2))
    [rule] = read_declarations(etree.fromstring(source.encode()))["review"].rules
    assert (rule.expression, rule.message, rule.override_role) == ("granted <= amount", RULE_MESSAGE, "finance")

    instance_id = start(platform, KEY, actors["sales"], {"customer": "Dalian Shipyard"})
    [request] = ready(platform, instance_id)
    requested = login("sales").api("POST", f"/api/tasks/{request.id}/complete", json={"amount": "2500"})
    assert requested.status_code == 200, requested.get_json()
    [review] = ready(platform, instance_id)
    director = login("custdir")

    over_limit = director.post(f"/tasks/{review.id}", data={"approved": "true", "granted": "20000"})
    assert over_limit.status_code == 422
    assert "Must be at most 10,000." in html.unescape(over_limit.get_data(as_text=True))
    answer = director.api("POST", f"/api/tasks/{review.id}/complete", json={"approved": True, "granted": "20000"})
    assert answer.status_code == 422 and answer.get_json()["fields"]["granted"] == ["Must be at most 10,000."]

    breaks_rule = director.post(f"/tasks/{review.id}", data={"approved": "true", "granted": "3000"})
    assert breaks_rule.status_code == 422 and RULE_MESSAGE in html.unescape(breaks_rule.get_data(as_text=True))
    answer = director.api("POST", f"/api/tasks/{review.id}/complete", json={"approved": True, "granted": "3000"})
    assert answer.status_code == 422 and answer.get_json()["fields"]["granted"] == [RULE_MESSAGE]

    assert instance(platform, instance_id).status == "running"
    accepted = director.api("POST", f"/api/tasks/{review.id}/complete", json={"approved": True, "granted": "2000"})
    assert accepted.status_code == 200, accepted.get_json()
    assert instance(platform, instance_id).status == "completed"


def test_a_chinese_process_owner_reads_the_panel_in_chinese(platform, live_server, browser_page):
    deploy(platform, chain())
    page = browser_page
    sign_in(page, live_server, "owner")
    with platform.sessions.begin() as session:
        session.execute(update(User).where(User.username == "owner").values(language="zh_CN"))
    page.goto(f"{live_server}/processes/{KEY}/edit")
    expect(page.locator("#crm-status")).to_contain_text("就绪")
    select_element(page, "review", "用户任务")
    headers = page.locator(".bio-properties-panel-group-header-title")
    for title in ("常规", "表单", "规则", "表单旁显示的记录", "处理人、到期时间和优先级", "翻译"):
        expect(headers.filter(has_text=title).first).to_be_visible()
    expect(page.locator("[data-group-id='group-crm-form-fields'] [title='camunda:formData']")).to_have_text("表单")
    page.click("[data-group-id='group-crm-assignment'] .bio-properties-panel-group-header")
    expect(page.locator("[data-entry-id='crm-due'] label")).to_have_text("到期时间")
    page.evaluate("window.crmModelerPage.current.select('Lane_custdir')")  # (the lane lies under palette and panel)
    expect(page.locator(".bio-properties-panel-header-type")).to_have_text("泳道")
    expect(headers.filter(has_text="审批角色")).to_be_visible()
