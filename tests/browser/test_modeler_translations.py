"""In chromium: the process owner translates a task's name and a form field's label in the modeler's
Translations group and deploys; the translation travels with the version and a Chinese-speaking user sees it
(issue 14 item 3)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select, update

from crm.accounts.users import User
from engine.models import ProcessVersion
from tests.browser.test_modeler_flow import open_modeler, select_element
from tests.engine.helpers import start
from tests.processes.helpers import KEY, chain, deploy, ready
from tests.support.browser import sign_in

pytestmark = pytest.mark.browser


def test_owner_translates_a_task_and_a_field_and_deploys(platform, live_server, browser_page, actors, login):
    deploy(platform, chain())
    page = browser_page
    sign_in(page, live_server, "owner")
    open_modeler(page, live_server)
    select_element(page, "request", "USER TASK")

    page.click("[data-group-id='group-crm-translations'] .bio-properties-panel-group-header")
    page.fill("#bio-properties-panel-crm-i18n-zh_CN-name", "申请折扣")
    page.fill("#bio-properties-panel-crm-i18n-zh_CN-amount-label", "折扣金额")
    page.click("#crm-validate")
    expect(page.locator("#crm-status")).to_have_text("No errors: this draft can be deployed.")
    page.click("#crm-deploy")
    expect(page.locator("#crm-status")).to_have_text("Deployed: Discount approval v2.")

    with platform.sessions() as session:
        v2 = session.scalar(select(ProcessVersion).where(ProcessVersion.process_key == KEY,
                                                         ProcessVersion.version == 2))
        assert 'name="i18n:zh_CN" value="申请折扣"' in v2.source_xml
        assert 'id="i18n:zh_CN:label" value="折扣金额"' in v2.source_xml
    with platform.sessions.begin() as session:
        session.execute(update(User).where(User.username == "sales").values(language="zh_CN"))
    instance_id = start(platform, KEY, actors["sales"], {"customer": "Dalian Shipyard"})
    [task] = ready(platform, instance_id)
    shown = login("sales").api("GET", f"/api/tasks/{task.id}").json
    assert shown["title"] == "申请折扣"
    assert [f["label"] for f in shown["form"]["fields"] if f["id"] == "amount"] == ["折扣金额"]
