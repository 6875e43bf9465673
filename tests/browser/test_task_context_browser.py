"""Issue 13 in chromium: each task shows what it decides on, and a refusal is not shown as a success.

Finance reviewing a contract sees its amount, terms and the PDF link beside the form; the engineer's job shows the
site address and the contact; an agent whose booking is refused reads the refusal in a warning, the task back in
the list, not a green "completed".
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from crm.customers.models import Contact, Customer
from tests.orders.conftest import desk, order_processes, shop  # noqa: F401 (fixtures)
from tests.orders.driver import next_monday
from tests.orders.test_contract_approval import quote_to_contract, sales, submit  # noqa: F401 (fixture)
from tests.service.test_service import prepare, start
from tests.support.browser import pick_reference, sign_in

pytestmark = pytest.mark.browser
SITE = "Berth 7, Waigaoqiao Shipyard, Shanghai"


@pytest.fixture
def harbour_site(platform, shop):  # noqa: F811
    """The ordinary customer's site address and two contacts, the second one the main contact."""
    with platform.sessions.begin() as session:
        customer = session.get(Customer, shop["customers"]["ordinary"])
        customer.address = SITE
        session.add_all([Contact(customer=customer, name="Wu Lei", mobile="+86 138 0000 0001"),
                         Contact(customer=customer, name="Zhou Min", mobile="+86 139 0000 0002", is_main=True)])


def _open_task(page: Page, base: str, task_id: int) -> None:
    page.goto(f"{base}/tasks/{task_id}")
    expect(page.locator("#task-context")).to_be_visible()


def test_finance_sees_the_contract_it_reviews(live_server, browser_page, desk, sales, shop):  # noqa: F811
    contract_id = quote_to_contract(sales, shop, "prospect", [("ENGINE", "3", "2.5"), ("HULL", "1", "0")])
    row = desk.task(submit(sales, contract_id), "ca_finance_review")
    sign_in(browser_page, live_server, desk.user_for(row).username)
    _open_task(browser_page, live_server, row.id)
    panel = browser_page.locator("#task-context")
    expect(panel).to_contain_text("¥656,027.75")
    expect(panel).to_contain_text("30 % advance")
    expect(panel).to_contain_text("40 m patrol hull")
    expect(panel.locator(f"a[href='/contracts/{contract_id}/document.pdf']")).to_be_visible()


def test_the_engineer_sees_where_to_go_and_whom_to_call(live_server, browser_page, desk, shop, harbour_site):  # noqa: F811
    instance_id = start(desk, shop)
    desk.do(instance_id, "sr_classify", urgency="normal", handling="service_order")
    prepare(desk, instance_id, items=["SVC-INSPECT"], skill="hull", hours="1", free=True)
    desk.do(instance_id, "sr_dispatch", engineer=shop["engineer_user"])
    job = desk.task(instance_id, "sr_carry_out")
    sign_in(browser_page, live_server, "engineer")
    _open_task(browser_page, live_server, job.id)
    panel = browser_page.locator("#task-context")
    expect(panel).to_contain_text(SITE)
    expect(panel).to_contain_text("Zhou Min")  # the main contact, with a number to call
    expect(panel).to_contain_text("+86 139 0000 0002")
    expect(panel).to_contain_text("Generator trips under load")


def test_a_refused_booking_is_shown_as_a_refusal(live_server, browser_page, desk, shop):  # noqa: F811
    saturday = next_monday() - dt.timedelta(days=2)
    instance_id = start(desk, shop)
    desk.do(instance_id, "sr_classify", urgency="normal", handling="service_order")
    prepare(desk, instance_id, items=["SVC-INSPECT"], skill="hull", hours="1", at=saturday.replace(hour=9), free=True)
    dispatch = desk.task(instance_id, "sr_dispatch")
    page = browser_page
    sign_in(page, live_server, "agent")
    page.goto(f"{live_server}/tasks/{dispatch.id}")
    pick_reference(page, "engineer", "Eve", "Eve Engineer")
    page.click("button:has-text('Complete')")
    refusal = page.locator(".alert", has_text="The booking was refused")
    expect(refusal).to_contain_text("Eve Engineer does not work on Saturday")
    expect(refusal).to_contain_text("is back in")
    expect(refusal).to_have_class(re.compile(r"\balert-warning\b"))
    expect(page.locator(".alert-success")).to_have_count(0)
    assert desk.ready_names(instance_id) == ["sr_dispatch"]
