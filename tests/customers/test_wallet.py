"""Share of wallet: estimates of customers' purchases per year with their source (customer page), our share of
them on the customer page and by grade, and each salesperson's growth against their customers' growth."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from crm.accounts.users import User
from crm.customers.models import Customer
from crm.customers.wallet import WalletEstimate, record_estimate
from crm.formatting import money
from crm.orders.contracts import Contract


def _signed(customer: Customer, amount: str, day: dt.date) -> Contract:
    return Contract(customer=customer, owner=customer.owner, title="Deal", amount=Decimal(amount), status="active",
                    company_signed_on=day, customer_signed_on=day)


@pytest.fixture
def customers(platform):
    """Blue Whale (key, Sam): signed 80,000 in 2025, 128,000 in 2026. Red Snapper (prospect, Sam): 50,000 in
    2026. Sue's Ferries (ordinary, Sue): 30,000 in 2025, 60,000 in 2026. Estimates for all but Blue Whale."""
    with platform.sessions.begin() as session:
        users = {u.username: u for u in session.scalars(select(User))}
        whale = Customer(company="Blue Whale", industry="Shipping", region="East", grade="key", owner=users["sales"])
        snapper = Customer(company="Red Snapper", industry="Fishing", region="North", owner=users["sales"])
        ferries = Customer(company="Sue's Ferries", industry="Shipping", region="East", grade="ordinary",
                           owner=users["sales2"])
        session.add_all([whale, snapper, ferries, _signed(whale, "80000.00", dt.date(2025, 6, 1)),
                         _signed(whale, "100000.00", dt.date(2026, 2, 1)),
                         _signed(whale, "28000.00", dt.date(2026, 9, 1)),
                         _signed(snapper, "50000.00", dt.date(2026, 5, 1)),
                         _signed(ferries, "30000.00", dt.date(2025, 3, 1)),
                         _signed(ferries, "60000.00", dt.date(2026, 3, 1))])
        session.flush()
        record_estimate(session, snapper, 2026, Decimal(200000), "trade association", "info")
        record_estimate(session, ferries, 2025, Decimal(100000), "annual report", "sales2")
        record_estimate(session, ferries, 2026, Decimal(150000), "annual report", "sales2")
        return {"whale": whale.id, "snapper": snapper.id, "ferries": ferries.id}


def _estimate(client, customer_id: int, year: str, amount: str, source: str = "purchasing manager"):
    return client.post(f"/customers/{customer_id}/wallet", data={"year": year, "amount": amount, "source": source})


def test_salesperson_enters_estimates_and_sees_the_share(platform, login, customers):
    sales = login("sales")
    whale = customers["whale"]
    assert _estimate(sales, whale, "2025", "400,000").status_code == 302
    assert _estimate(sales, whale, "2026", "450000").status_code == 302
    assert _estimate(sales, whale, "2026", "500000", "purchasing manager, December").status_code == 302  # replaced
    page = sales.get(f"/customers/{whale}").get_data(as_text=True)
    assert 'data-wallet-year="2026"' in page and "25.6 %" in page and money(500000) in page
    assert money(128000) in page and "purchasing manager, December" in page
    assert "20.0 %" in page and money(400000) in page  # 2025: 80,000 of 400,000
    with platform.sessions() as session:
        rows = session.scalars(select(WalletEstimate).where(WalletEstimate.customer_id == whale)).all()
        assert sorted((r.year, r.amount, r.entered_by) for r in rows) == [
            (2025, Decimal("400000.00"), "sales"), (2026, Decimal("500000.00"), "sales")]


def test_estimates_are_checked_and_scoped(platform, login, customers):
    sales = login("sales")
    for year, amount, source in (("", "1000", "x"), ("1999", "1000", "x"), ("2026", "-5", "x"),
                                 ("2026", "abc", "x"), ("2026", "1000", " ")):
        assert _estimate(sales, customers["whale"], year, amount, source).status_code == 302
    assert _estimate(login("sales2"), customers["whale"], "2026", "1000").status_code == 404
    assert _estimate(login("agent"), customers["whale"], "2026", "1000").status_code == 403
    assert _estimate(login("info"), customers["whale"], "2026", "1000").status_code == 302
    with platform.sessions() as session:
        rows = session.scalars(select(WalletEstimate).where(WalletEstimate.customer_id == customers["whale"])).all()
        assert [(r.year, r.amount, r.entered_by) for r in rows] == [(2026, Decimal("1000.00"), "info")]


def _reports(login, username: str, query: str) -> dict[str, dict]:
    return {r["key"]: r for r in login(username).get(f"/reports/data.json?{query}").get_json()["reports"]}


def _table(report: dict) -> dict[str, tuple]:
    return {label: tuple(s["data"][i] for s in report["series"]) for i, label in enumerate(report["labels"])}


def test_share_of_wallet_by_grade_and_growth(login, customers):
    sales = login("sales")
    _estimate(sales, customers["whale"], "2025", "400000")
    _estimate(sales, customers["whale"], "2026", "500000")
    reports = _reports(login, "custdir", "period=year&year=2026")
    assert _table(reports["wallet_by_grade"]) == {
        "key": (500000.0, 128000.0, 25.6), "ordinary": (150000.0, 60000.0, 40.0),
        "prospect": (200000.0, 50000.0, 25.0)}
    assert _table(reports["wallet_growth"]) == {"Sam Sales": (60.0, 25.0), "Sue Sales": (100.0, 50.0)}
    assert reports["wallet_growth"]["title"] == "Sales growth vs customers' growth, 2025–2026"
    earlier = _reports(login, "custdir", "period=year&year=2025")
    assert _table(earlier["wallet_by_grade"]) == {"key": (400000.0, 80000.0, 20.0),
                                                  "ordinary": (100000.0, 30000.0, 30.0)}
    assert _table(_reports(login, "custdir", "period=year&year=2026&region=North")["wallet_by_grade"]) == {
        "prospect": (200000.0, 50000.0, 25.0)}
    own = _reports(login, "sales", "period=year&year=2026")
    assert set(_table(own["wallet_by_grade"])) == {"key", "prospect"} and set(_table(own["wallet_growth"])) == {
        "Sam Sales"}
