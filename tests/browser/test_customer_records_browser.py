"""In chromium, as a salesperson: create a customer with a Chinese name and two contacts, be warned about a
similar one, log a call on the customer's page; the reference picker keeps its choice on Esc and its open list
does not cover the next field (issue 12 items 1, 2 and 10)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from crm.customers.models import Contact, Customer
from crm.sales.activities import Activity
from tests.sales.conftest import sales_processes  # noqa: F401  (fixture)
from tests.support.browser import sign_in

pytestmark = pytest.mark.browser
COMPANY = "上海船舶重工有限公司"


def _create_customer(page, base: str) -> int:
    page.goto(f"{base}/customers/")
    page.click("#new-customer")
    page.fill("#company", COMPANY)
    page.fill("#registry_number", "91310000MA1FL8LQ34")
    page.fill("#phone", "021-5555 0199")
    page.fill("#email", "info@chuanbo.example.com")
    page.fill("#industry", "Shipbuilding")
    page.click("#customer-form button[type=submit]")
    expect(page.get_by_role("heading", name=COMPANY)).to_be_visible()
    return int(re.search(r"/customers/(\d+)", page.url).group(1))


def _add_contacts(page) -> None:
    page.click("text=Add contact")
    page.fill("#name", "王伟")
    page.fill("#title", "采购经理")
    page.fill("#mobile", "138 0013 8000")
    page.check("#is_main")
    page.click("button[name=another]")
    expect(page.locator(".alert-success")).to_contain_text("王伟")
    page.fill("#name", "李娜")
    page.fill("#email", "li.na@")  # refused by the field, what was typed stays
    page.click("#contact-form button[type=submit]:not([name])")
    expect(page.locator("[data-error-for=email]")).to_be_visible()
    expect(page.locator("#name")).to_have_value("李娜")
    page.fill("#email", "li.na@chuanbo.example.com")
    page.click("#contact-form button[type=submit]:not([name])")
    expect(page.locator("#pane-contacts")).to_be_visible()  # the page opens on the contacts tab
    expect(page.locator("#contacts")).to_contain_text("王伟")
    expect(page.locator("#contacts")).to_contain_text("李娜")


def test_salesperson_records_a_customer_and_logs_a_call(platform, live_server, browser_page):
    page = browser_page
    sign_in(page, live_server, "sales")
    customer_id = _create_customer(page, live_server)
    _add_contacts(page)

    page.goto(f"{live_server}/customers/new")
    page.fill("#company", "上海 船舶重工 公司")
    page.click("#customer-form button[type=submit]")
    warning = page.locator("#duplicate-warning")
    expect(warning).to_contain_text(COMPANY)
    expect(warning).to_contain_text("same name")
    expect(warning.locator(f"a[href='/customers/{customer_id}']")).to_be_visible()
    expect(page.locator("#company")).to_have_value("上海 船舶重工 公司")

    page.goto(f"{live_server}/customers/{customer_id}")
    page.click("text=Log activity")
    page.select_option("#log-kind", "call")
    page.select_option("#log-contact", label="王伟")
    page.fill("#log-subject", "需求沟通")
    page.fill("#log-outcome", "Wants a quote for two tugs")
    page.fill("#log-next", "Send the quote")
    page.fill("#log-next-date", "2030-01-15")
    page.click("#log-form button")
    expect(page.locator("#pane-timeline")).to_be_visible()
    expect(page.locator("#timeline")).to_contain_text("Call: 需求沟通")
    expect(page.locator("#timeline")).not_to_contain_text("Call: Call:")

    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    with platform.sessions() as session:
        assert session.scalar(select(Customer.company).where(Customer.id == customer_id)) == COMPANY
        assert len(session.scalars(select(Contact).where(Contact.customer_id == customer_id)).all()) == 2
        assert [a.status for a in session.scalars(select(Activity).order_by(Activity.id))] == ["done", "planned"]


@pytest.mark.usefixtures("sales_processes")
def test_picker_keeps_its_choice_on_esc_and_does_not_cover_the_next_field(live_server, browser_page):
    page = browser_page
    sign_in(page, live_server, "sales")
    customer_id = _create_customer(page, live_server)
    page.goto(f"{live_server}/processes/start/customer_visit?customer_id={customer_id}")
    customer = page.locator("#customer_id")
    expect(customer).to_have_value(COMPANY)  # filled in from the customer's page
    customer.fill("船舶")
    option = page.locator("[role=option]", has_text=COMPANY)
    expect(option).to_be_visible()
    below = page.locator("#contact_id")
    list_box = page.locator("[role=listbox]:visible").bounding_box()
    assert below.bounding_box()["y"] >= list_box["y"] + list_box["height"]  # pushed down, not covered
    option.click()
    customer.press("Escape")
    expect(customer).to_have_value(COMPANY)
    expect(page.locator("#customer_id-value")).to_have_value(str(customer_id))
