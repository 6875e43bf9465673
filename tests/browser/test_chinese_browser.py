"""In chromium, issue 14: a salesperson switches to 中文, starts a bidding process, sees the page, the generated
form and the task in Chinese, types the deadline in China time and gets the same wall-clock time back on the
task, while the API gives it in UTC."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from crm.accounts.users import User
from crm.customers.models import Customer
from engine.models import HumanTask, ProcessInstance
from tests.support.api_driver import BPMN_DIR
from tests.support.browser import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def customer_id(platform) -> int:
    with platform.sessions.begin() as session:
        platform.engine.deploy(session, {"bidding.bpmn": (BPMN_DIR / "bidding.bpmn").read_bytes()}, "owner")
        sales = session.scalar(select(User).where(User.username == "sales"))
        customer = Customer(company="上海远洋航运有限公司", owner=sales)
        session.add(customer)
        session.flush()
        return customer.id


def test_switch_to_chinese_start_a_bid_and_keep_the_china_time(platform, live_server, browser_page, customer_id,
                                                                user_timezone):
    user_timezone("sales", "Asia/Shanghai")
    page = browser_page
    sign_in(page, live_server, "sales")
    page.get_by_role("button", name="User menu").click()
    page.get_by_role("button", name="中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")

    page.goto(f"{live_server}/processes/start/bidding?customer_id={customer_id}")
    for label in ("项目", "投标截止时间", "预估金额"):  # the diagram's own (Chinese) labels
        expect(page.locator("label", has_text=label).first).to_be_visible()
    assert page.get_by_text("Submission deadline").count() == 0
    page.fill("#project", "两艘 8.2 万载重吨散货船")
    page.fill("#deadline", "2026-12-20T09:00")
    page.fill("#estimated_value", "90000000")
    page.locator("form button[type=submit]").last.click()
    expect(page.locator(".alert-success")).to_be_visible()

    with platform.sessions() as session:
        instance_id = session.scalar(select(ProcessInstance.id).where(ProcessInstance.process_key == "bidding"))
        task_id = session.scalar(select(HumanTask.id).where(HumanTask.instance_id == instance_id,
                                                            HumanTask.status == "ready"))
    answer = page.request.get(f"{live_server}/api/instances/{instance_id}")
    assert answer.ok, answer.text()
    assert answer.json()["data"]["deadline"] == "2026-12-20T01:00:00Z"  # stored and answered in UTC

    page.goto(f"{live_server}/tasks/{task_id}")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    body = page.locator("main").inner_text()
    assert "09:00" in body and "01:00" not in body  # the wall-clock time typed, in the user's zone
    assert "投标截止时间" in body and "Submission deadline" not in body
