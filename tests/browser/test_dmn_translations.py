"""In chromium: the modeler's decision-table editor (dmn-js) speaks the page's language. A Chinese process owner
reads the hit policy, the add-rule button, a rule's context menu and the DRD palette in Chinese, picks a hit policy
by its Chinese name and deploys the same XML an English owner would; an English owner still reads English."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import update

from crm.accounts.users import User
from engine import decisions
from tests.browser.test_policy_tables_browser import PANE, RATE_CELL
from tests.orders.conftest import order_processes  # noqa: F401
from tests.support.browser import sign_in

pytestmark = pytest.mark.browser

HIT_POLICY = f"{PANE} .hit-policy-edit-policy-select"


def open_policy_table(page: Page, platform, base: str, language: str) -> None:
    """The owner, reading ``language``, opens service_policy.dmn (a UNIQUE table) in the modeler."""
    sign_in(page, base, "owner")
    with platform.sessions.begin() as session:
        session.execute(update(User).where(User.username == "owner").values(language=language))
    page.goto(f"{base}/processes/service_request/edit")
    expect(page.locator("#crm-modeler.crm-modeler-ready")).to_be_attached()
    page.click("#crm-file-tabs [data-file='service_policy.dmn']")


def read_table(page: Page, hit_policy_label: str, hit_policy: str, when: str, add_rule: str,
               add_rule_above: str) -> None:
    """The table's header, its add-rule button and a rule's context menu read as given."""
    expect(page.locator(f"{PANE} .hit-policy .dms-label")).to_have_text(hit_policy_label)
    expect(page.locator(HIT_POLICY)).to_have_text(hit_policy)
    expect(page.locator(f"{PANE} th.input-cell .clause").first).to_have_text(when)
    expect(page.locator(f"{PANE} td.add-rule-add button")).to_have_attribute("title", add_rule)
    page.click(RATE_CELL, button="right")
    expect(page.locator(".context-menu")).to_contain_text(add_rule_above)
    page.keyboard.press("Escape")


def test_a_chinese_owner_edits_a_decision_table_in_chinese_and_deploys_it(platform, live_server, browser_page,
                                                                           order_processes):  # noqa: F811
    page = browser_page
    open_policy_table(page, platform, live_server, "zh_CN")
    read_table(page, "命中策略：", "唯一（Unique）", "当", "添加规则", "在上方添加规则")
    expect(page.locator(f"{PANE} th.input-cell .input-variable").first).to_have_text("文本（string）")

    page.locator(f"{PANE} .decision-table-name").click()
    page.click(HIT_POLICY)
    page.click(".dms-select-options >> text=首条（First）")
    expect(page.locator(HIT_POLICY)).to_have_text("首条（First）")
    page.click("#crm-deploy")
    expect(page.locator("#crm-status")).to_contain_text("已发布")
    with platform.sessions() as session:
        table = decisions.latest_decision(session, "service_policy")
        assert table.version == 2
        assert 'hitPolicy="FIRST"' in table.source_xml and 'typeRef="string"' in table.source_xml
        assert "文本" not in table.source_xml  # the type picker's Chinese is shown, never saved

    page.click(f"{PANE} .view-drd-button")
    expect(page.locator(f"{PANE} .djs-palette .entry[title='创建决策']")).to_be_attached()


def test_an_english_owner_still_reads_the_decision_table_in_english(platform, live_server, browser_page,
                                                                     order_processes):  # noqa: F811
    page = browser_page
    open_policy_table(page, platform, live_server, "en")
    read_table(page, "Hit policy:", "Unique", "When", "Add rule", "Add rule above")
