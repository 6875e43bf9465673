"""Report filters: period (month/quarter/year/custom) in the site time zone, salesperson, team, region, industry
and grade; exact figures from a known dataset over HTTP, the page's filter bar and the filtered workbook."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from crm import formatting
from crm.accounts.users import Team, User
from crm.campaigns.campaigns import Campaign
from crm.customers.models import Customer
from crm.orders.contracts import Contract
from crm.sales.expenses import create_claim, review_claim
from crm.sales.opportunities import Opportunity
from services.reporting.filters import parse_filter

ZONE = ZoneInfo("Asia/Shanghai")
TODAY = dt.date(2026, 12, 7)


def _contract(customer: Customer, amount: str, day: dt.date) -> Contract:
    return Contract(customer=customer, owner=customer.owner, title="Deal", amount=Decimal(amount), status="active",
                    company_signed_on=day, customer_signed_on=day)


def _opportunity(customer: Customer, status: str, closed: dt.datetime, days_open: int) -> Opportunity:
    return Opportunity(customer=customer, owner=customer.owner, name=f"{status} deal", amount=Decimal(1000),
                       status=status, closed_at=closed, created_at=closed - dt.timedelta(days=days_open))


@pytest.fixture(autouse=True)
def shanghai_site(platform, monkeypatch):
    """The site's time zone is Shanghai (the test settings say UTC)."""
    monkeypatch.setattr(platform, "settings", dataclasses.replace(platform.settings, timezone="Asia/Shanghai"))


@pytest.fixture
def dataset(platform):
    """Sam (team Sales): Blue Whale (Shipping, East, key) and Red Snapper (Fishing, North, prospect); Sue (team
    Sales): Sue's Ferries (Shipping, East, ordinary); Cara (no team): Deep Mine (Mining, West, key).
    Opportunities closed either side of midnight 1 November in Shanghai (16:00 UTC)."""
    with platform.sessions.begin() as session:
        users = {u.username: u for u in session.scalars(select(User))}
        whale = Customer(company="Blue Whale", industry="Shipping", region="East", grade="key", owner=users["sales"])
        snapper = Customer(company="Red Snapper", industry="Fishing", region="North", owner=users["sales"])
        ferries = Customer(company="Sue's Ferries", industry="Shipping", region="East", grade="ordinary",
                           owner=users["sales2"])
        mine = Customer(company="Deep Mine", industry="Mining", region="West", grade="key", owner=users["custdir"])
        session.add_all([
            _contract(whale, "100000.00", dt.date(2026, 2, 10)), _contract(snapper, "50000.00", dt.date(2026, 5, 3)),
            _contract(ferries, "70000.00", dt.date(2026, 5, 20)), _contract(mine, "30000.00", dt.date(2026, 8, 1)),
            _opportunity(whale, "won", dt.datetime(2026, 10, 31, 16, 30), 10),  # 1 Nov 00:30 in Shanghai
            _opportunity(snapper, "lost", dt.datetime(2026, 10, 31, 15, 59), 5),  # 31 Oct 23:59 in Shanghai
            _opportunity(ferries, "won", dt.datetime(2026, 11, 15, 8), 30),
        ])
        claim = create_claim(session, claimant=users["sales"], customer_id=None, subject="visit", subject_id=None,
                             advance=Decimal(0), costs={"travel": Decimal("800.00")})
        session.flush()
        claim.customer_id = whale.id
        review_claim(session, claim, True, Decimal("800.00"))
        claim.created_at = dt.datetime(2026, 3, 4, 17)  # 5 March in Shanghai
        team = session.scalar(select(Team).where(Team.name == "Sales"))
        return {"sales": users["sales"].id, "sales2": users["sales2"].id, "team": team.id}


def _reports(login, username: str, query: str) -> dict[str, dict]:
    response = login(username).get(f"/reports/data.json?{query}")
    assert response.status_code == 200
    return {r["key"]: r for r in response.get_json()["reports"]}


def _series(report: dict) -> dict[str, list]:
    return {s["label"]: s["data"] for s in report["series"]}


def test_a_month_begins_at_midnight_in_shanghai(dataset, login):
    november = _reports(login, "custdir", "period=month&month=2026-11")
    assert november["win_rate"]["labels"] == ["2026-11"]
    assert _series(november["win_rate"]) == {"Won": [2], "Lost": [0], "Win rate %": [100.0]}
    assert _series(november["sales_cycle"]) == {"Days from creation to won": [20.0]}
    october = _reports(login, "custdir", "period=month&month=2026-10")
    assert _series(october["win_rate"]) == {"Won": [0], "Lost": [1], "Win rate %": [0.0]}
    assert _series(october["sales_cycle"]) == {"Days from creation to won": [None]}


def test_the_site_time_zone_setting_decides_the_month(dataset, login, platform, monkeypatch):
    monkeypatch.setattr(platform, "settings", dataclasses.replace(platform.settings, timezone="UTC"))
    october = _reports(login, "custdir", "period=month&month=2026-10")
    assert _series(october["win_rate"]) == {"Won": [1], "Lost": [1], "Win rate %": [50.0]}


def test_the_last_evening_of_november_in_utc_is_december_in_shanghai(dataset, platform, login):
    with platform.sessions.begin() as session:
        mine = session.scalar(select(Customer).where(Customer.company == "Deep Mine"))
        session.add(_opportunity(mine, "won", dt.datetime(2026, 11, 30, 16, 30), 4))  # 1 Dec 00:30 in Shanghai
    december = _reports(login, "custdir", "period=month&month=2026-12")
    assert _series(december["win_rate"])["Won"] == [1]
    assert _series(_reports(login, "custdir", "period=month&month=2026-11")["win_rate"])["Won"] == [2]


@pytest.mark.parametrize(("query", "total", "amounts"), [
    ("period=year&year=2026", 250000.0, {"Fishing": 50000.0, "Mining": 30000.0, "Shipping": 170000.0}),
    ("period=year&year=2026&salesperson={sales}", 150000.0, {"Fishing": 50000.0, "Shipping": 100000.0}),
    ("period=year&year=2026&team={team}", 220000.0, {"Fishing": 50000.0, "Shipping": 170000.0}),
    ("period=year&year=2026&region=East", 170000.0, {"Shipping": 170000.0}),
    ("period=year&year=2026&industry=Fishing", 50000.0, {"Fishing": 50000.0}),
    ("period=year&year=2026&grade=key", 130000.0, {"Mining": 30000.0, "Shipping": 100000.0}),
    ("period=quarter&quarter=2026-Q2", 120000.0, {"Fishing": 50000.0, "Mining": 0.0, "Shipping": 70000.0}),
    ("period=custom&from=2026-05-10&to=2026-08-01", 100000.0, {"Fishing": 0.0, "Mining": 30000.0,
                                                               "Shipping": 70000.0}),
    ("period=year&year=2025", 0.0, {"Fishing": 0.0, "Mining": 0.0, "Shipping": 0.0}),
])
def test_each_filter_narrows_charts_and_tables(dataset, login, query, total, amounts):
    reports = _reports(login, "custdir", query.format(**dataset))
    assert sum(_series(reports["sales"])["Total"]) == total
    industry = reports["customers_by_industry"]
    assert dict(zip(industry["labels"], _series(industry)["Contracted amount"], strict=True)) == amounts


def test_period_labels_and_marketing_cost_follow_the_filter(dataset, login):
    quarter = _reports(login, "custdir", "period=quarter&quarter=2026-Q2")
    assert quarter["sales"]["labels"] == ["2026-04", "2026-05", "2026-06"]
    assert _series(quarter["sales"])["Total"] == [0, 120000.0, 0]
    custom = _reports(login, "custdir", "period=custom&from=2026-05-10&to=2026-08-01")
    assert custom["sales"]["labels"] == ["2026-05", "2026-06", "2026-07", "2026-08"]
    year = _reports(login, "custdir", "period=year&year=2026")
    assert _series(year["marketing_cost"])["Visits"][2] == 800.0  # March, site time
    assert _series(_reports(login, "custdir", "period=year&year=2026&region=North")["marketing_cost"]) == {}
    assert _series(_reports(login, "custdir", "period=year&year=2026&grade=key")["marketing_cost"])["Visits"][2] \
        == 800.0


def test_a_salesperson_cannot_filter_into_someone_elses_figures(dataset, login):
    own = _reports(login, "sales", "period=year&year=2026")
    assert sum(_series(own["sales"])["Total"]) == 150000.0
    other = _reports(login, "sales", f"period=year&year=2026&salesperson={dataset['sales2']}")
    assert sum(_series(other["sales"])["Total"]) == 0 and set(_series(other["sales"])) == {"Total"}
    assert _series(other["customers_by_industry"]) == {"Customers": [], "Contracted amount": []}
    team = _reports(login, "sales", f"period=year&year=2026&team={dataset['team']}")
    assert sum(_series(team["sales"])["Total"]) == 150000.0  # the team, within Sam's own scope


def test_page_keeps_the_filters_in_the_url_and_offers_only_the_scope(dataset, login):
    html = login("sales").get("/reports/?period=quarter&quarter=2026-Q2&region=North").get_data(as_text=True)
    assert 'id="report-filters"' in html and '<option value="quarter" selected>' in html
    assert 'value="2026-Q2"' in html and "<option selected>North</option>" in html
    assert "/reports/export.xlsx?period=quarter&amp;quarter=2026-Q2&amp;region=North" in html
    assert "/reports/data.json?period=quarter&amp;quarter=2026-Q2&amp;region=North" in html
    assert "Sam Sales" in html and "Sue Sales" not in html and "Mining" not in html  # Sam's scope only
    assert "1 Apr 2026 – 30 Jun 2026" in html
    bad = login("sales").get("/reports/?period=quarter&quarter=2026-Q9").get_data(as_text=True)
    assert "Ignored: quarter: &#39;2026-Q9&#39; is not understood" in bad


def test_export_honours_the_filters_with_formats_and_frozen_headers(dataset, login):
    response = login("custdir").get(f"/reports/export.xlsx?period=year&year=2026&region=East"
                                    f"&salesperson={dataset['sales']}")
    assert 'filename="crm-reports-2026-01-01-2026-12-31.xlsx"' in response.headers["Content-Disposition"]
    book = load_workbook(BytesIO(response.data))
    assert book.sheetnames[0] == "Filters" and book.sheetnames[-1] == "Labour hours per engineer"
    filters = {row[0]: row[1] for row in book["Filters"].iter_rows(min_row=2, values_only=True)}
    assert filters["Period"] == "Year" and filters["From"] == dt.datetime(2026, 1, 1)
    assert filters["Salesperson"] == "Sam Sales" and filters["Region"] == "East"
    assert filters["Time zone"] == "Asia/Shanghai" and book["Filters"]["B3"].number_format == formatting.EXCEL_DATE
    sales = book["Sales (signed contract amount)"]
    rows = {row[0].value: row for row in sales.iter_rows(min_row=2, max_row=13)}
    february = rows[dt.datetime(2026, 2, 1)]
    assert february[0].number_format == formatting.EXCEL_MONTH
    assert (february[1].value, february[1].number_format) == (100000, formatting.EXCEL_MONEY)
    assert sum(row[2].value for row in rows.values()) == 100000  # Total: Sam's East customers only
    win = book["Win rate"]
    assert [cell.value for cell in win[1]] == ["Win rate", "Won", "Lost", "Win rate %"]
    assert win["B12"].number_format == formatting.EXCEL_INTEGER and win["D12"].number_format == formatting.EXCEL_PERCENT
    assert win["D12"].value == 100.0  # November: Blue Whale's won opportunity
    assert all(sheet.freeze_panes == "B2" for sheet in book.worksheets)


def test_parse_filter_reads_every_period_and_refuses_nonsense():
    def parsed(**args):
        return parse_filter(args, TODAY, ZONE)

    default = parsed()
    assert (default.first, default.last, default.labels[0], default.labels[-1]) == (
        dt.date(2026, 1, 1), dt.date(2026, 12, 31), "2026-01", "2026-12")
    assert parsed(period="month").labels == ["2026-12"]
    assert parsed(period="quarter").anchor == "2026-Q4" and parsed(period="year", year="2024").last == \
        dt.date(2024, 12, 31)
    month = parsed(period="month", month="2024-02")
    assert (month.first, month.last) == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert month.starts == dt.datetime(2024, 1, 31, 16) and month.ends == dt.datetime(2024, 2, 29, 16)
    assert parse_filter(month.query_args(), TODAY, ZONE) == month
    for args in ({"period": "decade"}, {"period": "month", "month": "2026-13"},
                 {"period": "custom", "from": "2026-05-01", "to": "2026-04-01"},
                 {"period": "custom", "from": "2000-01-01", "to": "2026-01-01"}, {"salesperson": "x"}):
        result = parse_filter(args, TODAY, ZONE)
        assert result.problems and (result.first, result.last) == (default.first, default.last)


def test_marketing_cost_adds_campaigns_for_the_whole_company(dataset, login, platform):
    with platform.sessions.begin() as session:
        session.add(Campaign(name="Boat show", kind="trade_fair", starts_on=dt.date(2026, 3, 20),
                             ends_on=dt.date(2026, 3, 22), cost=Decimal("5000.00")))
    cost = _series(_reports(login, "custdir", "period=year&year=2026")["marketing_cost"])
    assert (cost["Campaigns"][2], cost["Visits"][2]) == (5000.0, 800.0)
    assert "Campaigns" not in _series(_reports(login, "custdir", "period=year&year=2026&grade=key")["marketing_cost"])
    assert "Campaigns" not in _series(_reports(login, "sales", "period=year&year=2026")["marketing_cost"])
    kpis = {k["key"]: k for k in login("custdir").get("/kpi/data.json?period=year&year=2026").get_json()["kpis"]}
    assert kpis["marketing_cost"]["months"]["series"][0]["data"][2] == 5800.0
