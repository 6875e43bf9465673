"""In chromium, as a salesperson: from the customer's page create an opportunity, move it to won, create its quote
and add a line, find the customer again through the navbar's search by a Chinese substring; the navbar fits
(no horizontal overflow) at 1280×720, 1366×768 and 390×844 for a salesperson, a director and the administrator
(issue 12 items 3, 4, 5 and 9)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from crm.accounts.users import User
from crm.customers.models import Customer
from crm.orders.quotes import Quote
from crm.sales.opportunities import Opportunity
from tests.support.browser import sign_in

pytestmark = pytest.mark.browser
COMPANY = "上海船舶重工有限公司"
SIZES = ((1280, 720), (1366, 768), (390, 844))


@pytest.fixture
def customer_id(platform):
    with platform.sessions.begin() as session:
        owner = session.scalar(select(User).where(User.username == "sales"))
        customer = Customer(company=COMPANY, owner=owner, region="East")
        session.add(customer)
        session.flush()
        return customer.id


def test_opportunity_to_quote_and_search(platform, live_server, browser_page, customer_id):
    page, base = browser_page, live_server
    sign_in(page, base, "sales")
    page.goto(f"{base}/customers/{customer_id}")
    page.click("#new-opportunity")
    expect(page.locator("#customer_id")).to_have_value(str(customer_id))
    page.fill("#name", "两艘液化气船")
    page.fill("#amount", "-5")
    page.click("#opportunity-form button[type=submit]")
    expect(page.locator("[data-error-for=amount]")).to_contain_text("negative")
    expect(page.locator("#name")).to_have_value("两艘液化气船")
    page.fill("#amount", "12,500,000")
    page.select_option("#stage", "3")
    page.click("#opportunity-form button[type=submit]")
    expect(page.locator("[data-stage]")).to_contain_text("3 ·")
    expect(page.locator("[data-amount]")).to_contain_text("12,500,000.00")

    page.select_option("#close-result", "won")
    page.fill("#close-reason", "Best delivery time")
    page.click("#close-form button")
    expect(page.locator("[data-status]")).to_have_text("won")
    page.click("#create-quote")
    expect(page.locator("#q-title")).to_have_value("两艘液化气船")
    page.click("#quote-form button[type=submit]")
    expect(page.locator("#quote-lines tbody tr")).to_have_count(1)
    page.fill("#l-desc", "Crew training")
    page.fill("#l-qty", "2")
    page.fill("#l-price", "15000")
    page.click("form[action$=\"/lines\"] button")
    expect(page.locator("#quote-lines tbody tr")).to_have_count(2)
    with platform.sessions() as session:
        opp = session.scalar(select(Opportunity).where(Opportunity.customer_id == customer_id))
        quote = session.scalar(select(Quote).where(Quote.customer_id == customer_id))
        assert opp.status == "won" and quote.opportunity_id == opp.id and len(quote.lines) == 2

    page.goto(f"{base}/worklist/")
    page.keyboard.press("/")
    expect(page.locator("#crm-search-q")).to_be_focused()
    page.keyboard.type("船舶")
    page.keyboard.press("Enter")
    hit = page.locator(f'[data-hit="customers-{customer_id}"]')
    expect(hit).to_contain_text(COMPANY)
    hit.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/customers/{customer_id}$"))


@pytest.mark.parametrize("username", ["sales", "salesdir", "custdir", "admin"])
def test_the_navbar_fits_at_common_sizes(live_server, browser_page, username):
    page = browser_page
    sign_in(page, live_server, username)
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{live_server}/worklist/")
        overflow = page.evaluate("""() => {
            const nav = document.querySelector('nav.crm-navbar');
            return {page: document.documentElement.scrollWidth - window.innerWidth,
                    nav: nav.scrollWidth - nav.clientWidth};
        }""")
        assert overflow == {"page": 0, "nav": 0}, (username, width, overflow)
        menu = page.get_by_role("button", name="User menu")
        expect(menu).to_be_visible()
        box = menu.bounding_box()
        assert box["x"] + box["width"] <= width, (username, width, box)
