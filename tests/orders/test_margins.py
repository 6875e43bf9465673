"""Gross margin: a product's standard cost and a quote line's own cost give quotes, contracts and the margin KPI
their margin; costs are shown to directors and finance only (pages, the reports' JSON and workbook)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from crm.accounts.users import User
from crm.customers.models import Customer
from crm.orders import contracts, quotes
from crm.orders.catalog import Product, add_product
from crm.orders.contracts import Contract
from crm.orders.margins import contract_margin, quote_margin

SIGNED = dt.date(2026, 3, 12)
YEAR = "period=year&year=2026"
COSTS = ("613.37", "291.19")
"""The standard cost of the hull product and the free-text line's own cost: shown to nobody else."""


@pytest.fixture
def quote_id(platform):
    """Sam's quote: 2 hulls at 1,000.00 less 10 % (standard cost 613.37) and a free-text survey at 500.00, 5 %
    off the quote, 13 % tax. Net 2,185.00."""
    with platform.sessions.begin() as session:
        sales = session.scalar(select(User).where(User.username == "sales"))
        customer = Customer(company="Blue Whale", industry="Shipping", region="East", owner=sales)
        hull = add_product(session, "HULL-X", "Hull plate", Decimal("1000.00"))
        hull.standard_cost = Decimal(COSTS[0])
        quote = quotes.create_quote(session, customer, sales, "Refit", dt.date(2031, 1, 31),
                                    discount_percent=Decimal(5), tax_percent=Decimal(13))
        quotes.add_line(session, quote, Decimal(2), product=hull, discount_percent=Decimal(10))
        quotes.add_line(session, quote, Decimal(1), description="Survey", unit_price=Decimal("500.00"))
        session.flush()
        return quote.id


def _line_ids(platform, quote_id: int) -> list[int]:
    with platform.sessions() as session:
        return [line.id for line in session.get(quotes.Quote, quote_id).lines]


def test_quote_margin_from_standard_and_line_costs(platform, login, quote_id):
    director = login("custdir")
    page = director.get(f"/quotes/{quote_id}").get_data(as_text=True)
    assert "Unit cost" in page and 'placeholder="613.37"' in page
    assert 'id="margin-missing">no cost on line 2<' in page
    line_ids = _line_ids(platform, quote_id)
    assert director.post(f"/quotes/{quote_id}/lines/{line_ids[1]}/cost",
                         data={"unit_cost": COSTS[1]}).status_code == 302
    page = director.get(f"/quotes/{quote_id}").get_data(as_text=True)
    assert 'id="margin-amount">¥667.07<' in page and 'id="margin-percent">30.5 %<' in page
    with platform.sessions() as session:
        margin = quote_margin(session.get(quotes.Quote, quote_id))
        assert (margin.net, margin.cost, margin.amount, margin.percent) == (
            Decimal("2185.00"), Decimal("1517.93"), Decimal("667.07"), Decimal("30.5"))
    refused = director.post(f"/quotes/{quote_id}/lines/{line_ids[1]}/cost", data={"unit_cost": "-1"})
    assert refused.status_code == 302
    with platform.sessions() as session:
        assert session.get(quotes.QuoteLine, line_ids[1]).unit_cost == Decimal(COSTS[1])


def test_a_salesperson_sees_no_cost_anywhere(platform, login, quote_id):
    director = login("custdir")
    line_ids = _line_ids(platform, quote_id)
    director.post(f"/quotes/{quote_id}/lines/{line_ids[1]}/cost", data={"unit_cost": COSTS[1]})
    contract_id = _signed_contract(platform, quote_id)
    sales = login("sales")
    pages = [sales.get(url).get_data(as_text=True) for url in (
        f"/quotes/{quote_id}", f"/contracts/{contract_id}", f"/quotes/{quote_id}/document", "/reports/?" + YEAR)]
    for page in pages:
        assert not any(cost in page for cost in COSTS)
        assert "Unit cost" not in page and "Gross margin" not in page and "margin-amount" not in page
    data = sales.get("/reports/data.json?" + YEAR).get_json()
    assert "margin" not in {r["key"] for r in data["reports"]}
    assert not any(cost in str(data) for cost in (*COSTS, "1517.93"))
    book = load_workbook(BytesIO(sales.get("/reports/export.xlsx?" + YEAR).data))
    assert "Gross margin" not in book.sheetnames
    assert sales.post(f"/quotes/{quote_id}/lines/{line_ids[1]}/cost", data={"unit_cost": "1"}).status_code == 403
    assert sales.get("/products/costs").status_code == 403


def _signed_contract(platform, quote_id: int) -> int:
    with platform.sessions.begin() as session:
        quote = session.get(quotes.Quote, quote_id)
        quotes.set_status(quote, "accepted", dt.date(2026, 3, 1))
        contract = contracts.from_quote(session, quote)
        contract.status, contract.company_signed_on, contract.customer_signed_on = "active", SIGNED, SIGNED
        session.flush()
        return contract.id


def test_contract_keeps_the_costs_of_its_quote(platform, login, quote_id):
    login("custdir").post(f"/quotes/{quote_id}/lines/{_line_ids(platform, quote_id)[1]}/cost",
                          data={"unit_cost": COSTS[1]})
    contract_id = _signed_contract(platform, quote_id)
    with platform.sessions.begin() as session:
        session.scalar(select(Product).where(Product.code == "HULL-X")).standard_cost = Decimal("999.00")
    with platform.sessions() as session:
        contract = session.get(Contract, contract_id)
        assert [line.unit_cost for line in contract.lines] == [Decimal(c) for c in COSTS]
        margin = contract_margin(contract)
        assert (contract.amount, margin.net, margin.amount, margin.percent) == (
            Decimal("2469.05"), Decimal("2185.00"), Decimal("667.07"), Decimal("30.5"))
    page = login("finance").get(f"/contracts/{contract_id}").get_data(as_text=True)
    assert 'id="margin-amount">¥667.07<' in page and 'id="margin-percent">30.5 %<' in page


def test_margin_kpi_for_directors_with_contracts_without_costs_apart(platform, login, quote_id):
    login("custdir").post(f"/quotes/{quote_id}/lines/{_line_ids(platform, quote_id)[1]}/cost",
                          data={"unit_cost": COSTS[1]})
    _signed_contract(platform, quote_id)
    with platform.sessions.begin() as session:
        customer = session.scalar(select(Customer))
        session.add(Contract(customer=customer, owner=customer.owner, title="No lines", amount=Decimal("5000.00"),
                             status="active", company_signed_on=SIGNED, customer_signed_on=SIGNED))
    reports = {r["key"]: r for r in login("finance").get("/reports/data.json?" + YEAR).get_json()["reports"]}
    margin = {s["label"]: s["data"][2] for s in reports["margin"]["series"]}  # March
    assert margin == {"Net amount": 2185.0, "Cost": 1517.93, "Gross margin %": 30.5, "Contracts without costs": 1}
    assert {s["label"]: s["data"][3] for s in reports["margin"]["series"]}["Gross margin %"] is None
    west = login("finance").get("/reports/data.json?" + YEAR + "&region=West").get_json()["reports"]
    assert sum(next(r for r in west if r["key"] == "margin")["series"][0]["data"]) == 0
    book = load_workbook(BytesIO(login("finance").get("/reports/export.xlsx?" + YEAR).data))
    sheet = book["Gross margin"]
    assert sheet["C4"].value == 1517.93 and sheet["D4"].value == 30.5 and sheet["D4"].number_format == '0.0"%"'


def test_standard_costs_are_set_by_directors_and_finance(platform, login, quote_id):
    finance = login("finance")
    with platform.sessions() as session:
        product_id = session.scalar(select(Product.id).where(Product.code == "HULL-X"))
    assert finance.post(f"/products/{product_id}/cost", data={"standard_cost": "620.50"}).status_code == 302
    page = finance.get("/products/costs").get_data(as_text=True)
    assert 'value="620.50"' in page and "38.0 %" in page  # (1000 - 620.50) / 1000
    finance.post(f"/products/{product_id}/cost", data={"standard_cost": "-5"})
    finance.post(f"/products/{product_id}/cost", data={"standard_cost": ""})
    with platform.sessions() as session:
        assert session.get(Product, product_id).standard_cost is None
