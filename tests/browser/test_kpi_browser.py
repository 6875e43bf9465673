"""In chromium: the KPI page draws each KPI's actual, target and baseline; the filter bar shows the inputs of
the chosen period, and choosing a salesperson keeps the filters in the URL and redraws their figures."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.reporting.kpi_dataset import make_kpi_dataset
from tests.support.browser import sign_in

pytestmark = pytest.mark.browser
CHARTS = """() => Object.fromEntries([...document.querySelectorAll('canvas[data-chart]')].map(
    c => [c.dataset.chart, Object.fromEntries(Chart.getChart(c).data.datasets.map(d => [d.label, d.data]))]))"""


def _charts(page) -> dict:
    page.wait_for_function("() => window.Chart && [...document.querySelectorAll('canvas[data-chart]')]"
                           ".every(c => Chart.getChart(c))")
    return page.evaluate(CHARTS)


def test_kpi_page_with_filters(platform, live_server, browser_page):
    with platform.sessions.begin() as session:
        ids = make_kpi_dataset(session)
    page = browser_page
    sign_in(page, live_server, "custdir")
    page.goto(f"{live_server}/kpi/?period=year&year=2025")
    charts = _charts(page)
    assert charts["kpi_sales"]["Actual"] == [0, 120000, 0, 0, 0, 0, 40000, 0, 0, 0, 0, 0]
    assert charts["kpi_sales"]["Target"] == [13750] * 12 and charts["kpi_win_rate"]["Target"] == [55] * 12
    sales = page.locator('[data-kpi="sales"]')
    expect(sales.locator("[data-ytd-actual]")).to_have_text("160,000.00")
    expect(sales.locator("header [data-state]")).to_have_attribute("data-state", "amber")

    expect(page.locator("#filter-year")).to_be_visible()  # only the chosen period's input
    expect(page.locator("#filter-month")).to_be_hidden()
    page.select_option("#filter-period", "month")
    expect(page.locator("#filter-month")).to_be_visible()
    expect(page.locator("#filter-year")).to_be_hidden()
    page.select_option("#filter-period", "year")

    page.select_option("#filter-salesperson", label="Sam Sales")
    page.click("#report-filters button[type=submit]")
    expect(page).to_have_url(re.compile(rf"salesperson={ids['sales']}"))
    assert "period=year" in page.url and "year=2025" in page.url
    charts = _charts(page)
    assert charts["kpi_sales"]["Actual"] == [0, 120000] + [0] * 10
    assert charts["kpi_sales"]["Baseline"] == [pytest.approx(100000 / 12, abs=0.01)] * 12
    expect(page.locator('[data-kpi="sales"] header [data-state]')).to_have_attribute("data-state", "green")
    expect(page.locator("#filter-salesperson")).to_have_value(str(ids["sales"]))
    expect(page.locator("#kpi-by-scope tbody tr")).to_have_count(2)  # Sam and his team
