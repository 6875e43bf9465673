"""In chromium: the process owner changes the standard labour rate (and the hit policy) in the modeler's DMN tab
and deploys; a new settlement uses the new rate and records table version 2, while a settlement made before keeps
version 1. A malformed rate is refused at deploy with a message naming the rule and column."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from engine import decisions
from engine.models import ProcessVersion
from tests.orders.conftest import desk, order_processes, shop  # noqa: F401
from tests.service.test_policy_tables import _to_settlement
from tests.service.test_service import request_row, settlement_of
from tests.support.browser import sign_in

pytestmark = pytest.mark.browser

PANE = ".crm-editor-pane:not(.d-none)"
"""The open tab's editor (service_request.bpmn has a tab for each of its two tables)."""
RATE_CELL = f"{PANE} td[data-row-id='policy_rule_standard'][data-col-id='output_labour_rate']"


def open_dmn_tab(page: Page, base: str) -> None:
    page.goto(f"{base}/processes/service_request/edit")
    expect(page.locator("#crm-modeler.crm-modeler-ready")).to_be_attached()
    page.click("#crm-file-tabs [data-file='service_policy.dmn']")
    expect(page.locator(f"{PANE} .crm-dmn-help")).to_contain_text("Hit policy")


def type_in_cell(page: Page, selector: str, text: str) -> None:
    cell = page.locator(f"{selector} [contenteditable='true']")
    cell.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)
    page.locator(f"{PANE} .decision-table-name").click()  # leave the cell
    expect(page.locator(selector)).to_have_text(text)


def test_owner_changes_a_rate_in_the_dmn_tab_and_new_settlements_use_it(platform, live_server, browser,
                                                                        browser_page, desk, shop):  # noqa: F811
    before = _to_settlement(desk, shop, 0)
    desk.do(before, "sr_settle", policy="standard")

    page = browser_page
    sign_in(page, live_server, "owner")
    open_dmn_tab(page, live_server)
    type_in_cell(page, RATE_CELL, "315.50")
    page.click(f"{PANE} .hit-policy-edit-policy-select")
    page.click(".dms-select-options >> text=First")
    expect(page.locator(f"{PANE} .hit-policy-edit-policy-select")).to_contain_text("First")
    page.fill("#crm-comment", "labour rate 315.50 from January")
    page.click("#crm-deploy")
    expect(page.locator("#crm-status")).to_contain_text("Deployed")

    with platform.sessions() as session:
        table = decisions.latest_decision(session, "service_policy")
        assert (table.version, table.comment) == (2, "labour rate 315.50 from January")
        assert 'hitPolicy="FIRST"' in table.source_xml and ">315.50<" in table.source_xml
        assert session.scalar(select(ProcessVersion.version).where(
            ProcessVersion.process_key == "service_request").order_by(ProcessVersion.version.desc()).limit(1)) == 2

    after = _to_settlement(desk, shop, 1)
    desk.do(after, "sr_settle", policy="standard")
    old = settlement_of(desk.platform, request_row(desk.platform, before).order.id)[0]
    new = settlement_of(desk.platform, request_row(desk.platform, after).order.id)[0]
    assert (old.labour_rate, old.policy_version, old.amount) == (Decimal("280.00"), 1, Decimal("1054.49"))
    assert (new.labour_rate, new.policy_version, new.amount) == (Decimal("315.50"), 2, Decimal("1121.94"))

    agent = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(agent, live_server, "agent")
    agent.goto(f"{live_server}/service/requests/{request_row(desk.platform, after).id}")
    expect(agent.locator("#settlement-policy")).to_contain_text("policy table, version 2")
    agent.goto(f"{live_server}/service/requests/{request_row(desk.platform, before).id}")
    expect(agent.locator("#settlement-policy")).to_contain_text("policy table, version 1")
    agent.context.close()


def test_a_malformed_rate_is_refused_with_the_rule_and_column(platform, live_server, browser_page,
                                                              order_processes):  # noqa: F811
    page = browser_page
    sign_in(page, live_server, "owner")
    open_dmn_tab(page, live_server)
    type_in_cell(page, RATE_CELL, "280,50")
    page.click("#crm-deploy")
    expect(page.locator("#crm-status")).to_contain_text("Deployment refused")
    expect(page.locator("#crm-problems")).to_contain_text("rule 1: 人工费率（元/工时） is a number, not 280,50")
    with platform.sessions() as session:
        assert decisions.latest_decision(session, "service_policy").version == 1
