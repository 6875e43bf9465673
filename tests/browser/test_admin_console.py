"""Admin in a real browser: from the health page to the errored instance, read the traceback, retry."""

import pytest

from tests.engine.helpers import deploy, instance, ready_tasks, start
from tests.support.jobs import settle

pytestmark = pytest.mark.browser


def test_admin_finds_reads_and_retries_an_errored_instance(live_server, browser_page, platform, actors, tmp_path):
    flag = tmp_path / "down"
    flag.write_text("the outside system is down")
    deploy(platform, "services.bpmn")
    instance_id = start(platform, "services", actors["sales"], {"flag_path": str(flag)})
    settle(platform)
    assert instance(platform, instance_id).status == "error"

    page = browser_page
    page.goto(f"{live_server}/login")
    page.fill("#username", "admin")
    page.fill("#password", "demo")
    page.click("button[type=submit]")
    page.goto(f"{live_server}/admin/health")
    page.click("#error-count")  # "Instances in error: 1" -> the filtered instance list
    page.click(f"text=#{instance_id}")
    page.click("#error-box summary")  # open the traceback
    traceback = page.inner_text("#traceback")
    assert "ConnectionError" in traceback and "outside system unavailable" in traceback

    flag.unlink()  # the cause is fixed outside the CRM
    retry = page.locator("form:has(button[data-action=retry])")
    retry.locator("input[name=reason]").fill("gateway is back")
    retry.locator("button[data-action=retry]").click()
    page.wait_for_selector("text=retry done")
    settle(platform)
    assert instance(platform, instance_id).status == "running"
    assert [t.task_name for t in ready_tasks(platform, instance_id)] == ["check"]
    page.reload()
    assert "retry requested" in page.inner_text("#history")
