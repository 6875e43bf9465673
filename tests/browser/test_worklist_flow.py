"""End to end in chromium: sales starts a process, gets a form wrong then right; custdir completes the next step."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from engine.models import ProcessInstance
from tests.engine.helpers import instance
from tests.processes.task_helpers import add_customer, deploy
from tests.support.browser import pick_reference, sign_in

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def _logout(page: Page) -> None:
    page.click("button[aria-label='User menu']")
    page.click("text=Log out")
    expect(page.get_by_text("You are signed out.")).to_be_visible()


def _fits_the_phone(page: Page) -> None:
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.set_viewport_size({"width": 1280, "height": 900})


def test_sales_starts_and_fills_a_form_and_the_director_completes_the_next_step(platform, live_server, browser_page):
    deploy(platform)
    add_customer(platform, "Dalian Shipyard", owner="sales")
    page = browser_page
    sign_in(page, live_server, "sales")

    page.click("text=Start a process")
    page.click("text=All field types")
    page.fill("#subject", "Hull 12 quote")
    pick_reference(page, "customer_id", "dal", "Dalian Shipyard")
    expect(page.locator("[role=listbox]")).to_be_hidden()
    expect(page.locator("#customer_id")).to_have_value("Dalian Shipyard")
    page.click("button:has-text('Start')")
    expect(page.get_by_text("Started “All field types”")).to_be_visible()

    page.click("a.nav-link:has-text('Queue')")
    _fits_the_phone(page)
    page.click("text=Fill in every field")
    expect(page.get_by_role("heading", name="Fill in every field")).to_be_visible()
    expect(page.locator(".djs-element.crm-current[data-element-id=fill]")).to_be_attached()
    _fits_the_phone(page)
    page.fill("#title_text", "Quote")
    page.fill("#code", "ABC-123")
    page.fill("#quantity", "0")
    page.select_option("#grade", "key")
    page.click("button:has-text('Complete')")
    expect(page.locator("#quantity.is-invalid")).to_be_visible()
    expect(page.get_by_text("Must be at least 1.")).to_be_visible()
    expect(page.locator("#title_text")).to_have_value("Quote")  # the rest of the input is kept
    page.fill("#quantity", "5")
    page.click("button:has-text('Complete')")
    expect(page.get_by_text("“Fill in every field” completed.")).to_be_visible()
    _logout(page)

    sign_in(page, live_server, "custdir")
    expect(page.locator(".crm-bell-badge")).to_have_text("1")
    page.click("a.nav-link:has-text('Queue')")
    page.click("text=Approve the request")
    expect(page.get_by_text("Dalian Shipyard").first).to_be_visible()
    steps = page.locator(".crm-steps")
    expect(steps).to_contain_text("Quote")
    expect(steps).to_contain_text("Key customer")
    expect(page.locator(".djs-element.crm-completed[data-element-id=fill]")).to_be_attached()
    page.check("#approved")
    page.fill("#remark", "Fine by me.")
    page.click("button:has-text('Complete')")
    expect(page.get_by_text("“Approve the request” completed.")).to_be_visible()
    with platform.sessions() as session:
        instance_id = session.scalars(select(ProcessInstance.id)).one()
    assert instance(platform, instance_id).status == "completed"
