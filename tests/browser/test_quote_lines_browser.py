"""In chromium, as a salesperson: a quote from a won opportunity; lines added, edited, reordered and deleted; a
line discount and an overall discount; the total shown as money and equal to the stored quote's; the PDF link
answers a PDF (issue 12 item 3)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from crm.accounts.users import User
from crm.customers.models import Customer
from crm.orders.quotes import Quote, quote_totals
from crm.sales.opportunities import close_opportunity, create_opportunity
from tests.support.browser import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def won_opportunity(platform):
    with platform.sessions.begin() as session:
        owner = session.scalar(select(User).where(User.username == "sales"))
        customer = Customer(company="上海船舶重工有限公司", owner=owner, region="East")
        session.add(customer)
        session.flush()
        opportunity = create_opportunity(session, customer, "两艘液化气船", Decimal("1000000"), "sales")
        close_opportunity(session, opportunity, True, "sales", reason="Best delivery time")
        return opportunity.id


def _descriptions(page) -> list[str]:
    return page.locator("#quote-lines tbody tr td:nth-child(2)").all_inner_texts()


def _add_line(page, description: str, quantity: str, price: str, discount: str = "0") -> None:
    page.fill("#l-desc", description)
    page.fill("#l-qty", quantity)
    page.fill("#l-price", price)
    page.fill("#l-disc", discount)
    page.click('form[action$="/lines"] button')


def test_quote_lines_discounts_totals_and_pdf(platform, live_server, browser_page, won_opportunity):
    page, base = browser_page, live_server
    sign_in(page, base, "sales")
    page.goto(f"{base}/opportunities/{won_opportunity}")
    page.click("#create-quote")
    expect(page.locator("#q-title")).to_have_value("两艘液化气船")
    page.click("#quote-form button[type=submit]")
    expect(page.locator("#quote-lines tbody tr")).to_have_count(1)
    first = _descriptions(page)[0]
    _add_line(page, "Crew training", "2", "15000", "10")
    _add_line(page, "Spare parts", "1", "5000")
    expect(page.locator("#quote-lines tbody tr")).to_have_count(3)

    page.get_by_label("Edit line 3").click()  # edit: three sets of spare parts
    page.fill("#l-qty", "3")
    page.click("#quote-line button[type=submit]")
    expect(page.locator("#quote-lines tbody tr").nth(2)).to_contain_text("3")
    page.get_by_label("Move line 3 up").click()  # reorder
    expect(page.locator("#quote-lines tbody tr").nth(1)).to_contain_text("Spare parts")
    assert _descriptions(page) == [first, "Spare parts", "Crew training"]
    page.get_by_label("Delete line 1").click()  # delete
    expect(page.locator("#quote-lines tbody tr")).to_have_count(2)
    assert _descriptions(page) == ["Spare parts", "Crew training"]

    page.click("#edit-quote")  # overall discount
    page.fill("#q-disc", "5")
    page.click("#quote-terms button[type=submit]")
    total = page.locator("#quote-total").inner_text()
    assert re.fullmatch(r"¥[\d,]+\.\d{2}", total), total
    with platform.sessions() as session:
        quote = session.scalar(select(Quote).where(Quote.opportunity_id == won_opportunity))
        figures = quote_totals(quote)
        assert [(line.description, line.quantity, line.discount_percent) for line in quote.lines] == [
            ("Spare parts", 3, 0), ("Crew training", 2, 10)]
        assert quote.discount_percent == 5
    # 3 x 5,000 + 2 x 15,000 less 10 % = 42,000; less 5 % overall = 39,900 net; plus the quote's tax
    assert figures.net == Decimal("39900.00") and figures.total == figures.net + figures.tax
    assert Decimal(total.lstrip("¥").replace(",", "")) == figures.total

    href = page.locator("#quote-pdf").get_attribute("href")
    pdf = page.request.get(f"{base}{href}")
    assert pdf.status == 200 and pdf.headers["content-type"].startswith("application/pdf")
    assert pdf.body().startswith(b"%PDF")
