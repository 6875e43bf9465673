"""In chromium: the Reports page draws a Chart.js chart per report with the figures of the page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from crm.accounts.users import User
from crm.customers.models import Customer
from crm.orders.contracts import Contract
from tests.support.browser import sign_in

pytestmark = pytest.mark.browser


def test_charts_render_with_data(platform, live_server, browser_page):
    today = dt.date.today()
    with platform.sessions.begin() as session:
        sales = session.scalar(select(User).where(User.username == "sales"))
        customer = Customer(company="Blue Whale", industry="Shipping", owner=sales)
        session.add(Contract(customer=customer, owner=sales, title="Hull", amount=Decimal("2500.00"),
                             status="active", company_signed_on=today, customer_signed_on=today))
    page = browser_page
    sign_in(page, live_server, "sales")
    if page.locator(".navbar-toggler").is_visible():  # below 1400 px the menu sits behind the toggler
        page.click(".navbar-toggler")
    page.click('nav >> text="Reports"')  # exactly: "Sales reports" is another entry
    page.wait_for_selector('canvas[data-chart="sales"]')
    page.wait_for_function("() => window.Chart && [...document.querySelectorAll('canvas[data-chart]')]"
                           ".every(c => Chart.getChart(c))")  # scripts may still be loading on a busy machine
    charts = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('canvas[data-chart]')].map(
        c => [c.dataset.chart, Chart.getChart(c).data.datasets.map(d => [d.label, d.data])]))""")
    assert charts["customers_by_industry"] == [["Customers", [1]], ["Contracted amount", [2500]]]
    assert charts["sales"][-1] == ["Total", [0] * 11 + [2500]]
    assert "complaint_causes" not in charts  # nothing recorded: an empty state instead of a chart
