"""In chromium at 1280×720, 1366×768 and 390×844: the key pages of everyday record work (customer, customer form,
opportunity, quote, worklist, a task, the admin console's instances) fit for a sales director and the
administrator: no horizontal overflow of the page or the navbar, the user menu opens and its log out is on screen
(issue 12 items 3 and 9)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from crm.accounts.users import User
from crm.customers.models import Contact, Customer
from crm.orders.quotes import create_quote
from crm.sales.opportunities import create_opportunity
from engine.models import HumanTask
from tests.engine.helpers import deploy
from tests.support.browser import sign_in

pytestmark = pytest.mark.browser
SIZES = ((1280, 720), (1366, 768), (390, 844))


@pytest.fixture
def pages(platform, actors):
    """The URLs of one record of each kind (``sales``' customer 上海船舶重工有限公司) and of a ready task."""
    deploy(platform, "approval.bpmn")
    with platform.sessions.begin() as session:
        owner = session.scalar(select(User).where(User.username == "sales"))
        customer = Customer(company="上海船舶重工有限公司", owner=owner, region="East", phone="021-5555-0199")
        customer.contacts.append(Contact(name="王建国", title="采购经理"))
        session.add(customer)
        session.flush()
        opportunity = create_opportunity(session, customer, "两艘液化气船", Decimal("12500000"), "sales")
        quote = create_quote(session, customer, owner, "两艘液化气船", dt.date(2031, 1, 1))
        instance = platform.engine.start(session, "approval", {}, actors["sales"])
        session.flush()
        task = session.scalar(select(HumanTask.id).where(HumanTask.instance_id == instance.id,
                                                         HumanTask.status == "ready"))
        common = [f"/customers/{customer.id}", f"/customers/{customer.id}/edit", f"/opportunities/{opportunity.id}",
                  f"/quotes/{quote.id}", "/worklist/"]
        return {"salesdir": common, "admin": [*common, f"/tasks/{task}", "/admin/instances"]}


@pytest.mark.parametrize("username", ["salesdir", "admin"])
def test_key_pages_fit_and_log_out_is_reachable(live_server, browser_page, pages, username):
    page = browser_page
    sign_in(page, live_server, username)
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        for url in pages[username]:
            response = page.goto(f"{live_server}{url}")
            assert response.status == 200, (username, url)
            overflow = page.evaluate("""() => {
                const nav = document.querySelector('nav.crm-navbar');
                return {page: document.documentElement.scrollWidth - window.innerWidth,
                        nav: nav.scrollWidth - nav.clientWidth};
            }""")
            assert overflow == {"page": 0, "nav": 0}, (username, width, url, overflow)
            menu = page.get_by_role("button", name="User menu")
            expect(menu).to_be_visible()
            menu.click()
            log_out = page.get_by_role("button", name="Log out")
            expect(log_out).to_be_visible()
            box = log_out.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, (username, width, url, box)
            assert box["y"] + box["height"] <= height, (username, width, url, box)
            page.keyboard.press("Escape")
