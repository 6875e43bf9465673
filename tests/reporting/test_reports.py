"""Reports page: known figures from services.reporting.reports, the JSON endpoint and the workbook, within data
scope."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from crm.accounts.access import visible_owner_ids
from crm.accounts.users import User
from crm.customers.models import Customer
from crm.orders.contracts import Contract
from crm.sales.expenses import create_claim, review_claim
from crm.sales.opportunities import Opportunity
from crm.service.engineers import Booking, add_engineer
from crm.service.service_desk import FollowUp, ServiceOrder, ServiceRequest
from services.reporting.filters import last_twelve_months, site_today
from services.reporting.reports import build_reports

ZONE = ZoneInfo("Asia/Shanghai")
TODAY = site_today(ZONE)
THIS = TODAY.replace(day=1)
PREVIOUS = (THIS - dt.timedelta(days=1)).replace(day=1)


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour))


def _opportunity(customer: Customer, status: str, closed: dt.date, days_open: int) -> Opportunity:
    return Opportunity(customer=customer, owner=customer.owner, name=f"{status} deal", amount=Decimal(1000),
                       status=status, closed_at=_at(closed), created_at=_at(closed) - dt.timedelta(days=days_open))


def _serviced(customer: Customer, engineer, labour: str, attitude: int, quality: int, hour: int) -> list:
    """A repair request with a complaint cause, its settled order booked to ``engineer`` from ``hour`` for two
    hours (bookings of one engineer must not overlap: PostgreSQL's exclusion constraint), and a follow-up."""
    request = ServiceRequest(customer=customer, channel="complaint", request_type="repair", description="Leak",
                             complaint_cause="product_quality", created_at=_at(THIS))
    order = ServiceOrder(request=request, customer=customer, planned_hours=Decimal(2), status="settled",
                         labour_hours=Decimal(labour), completed_at=_at(THIS, 15))
    booking = Booking(engineer=engineer, starts_at=_at(THIS, hour), ends_at=_at(THIS, hour + 2))
    order.bookings.append(booking)
    return [request, order, booking, FollowUp(order=order, attitude=attitude, quality=quality, created_at=_at(THIS))]


@pytest.fixture
def dataset(platform):
    """sales: a Shipping and a Fishing customer; sales2: a Shipping customer. Contracts signed last month and
    this month, won and lost opportunities, serviced orders with follow-ups and a visit's expense claim."""
    with platform.sessions.begin() as session:
        users = {u.username: u for u in session.scalars(select(User))}
        ship = Customer(company="Blue Whale", industry="Shipping", region="East", grade="key", owner=users["sales"])
        fish = Customer(company="Red Snapper", industry="Fishing", region="North", owner=users["sales"])
        other = Customer(company="Sue's Ferries", industry="Shipping", region="East", grade="ordinary",
                         owner=users["sales2"])
        session.add_all([ship, fish, other])
        session.add_all([
            Contract(customer=ship, owner=ship.owner, title="Hull", amount=Decimal("100000.00"), status="active",
                     company_signed_on=PREVIOUS, customer_signed_on=PREVIOUS + dt.timedelta(days=2)),
            Contract(customer=fish, owner=fish.owner, title="Nets", amount=Decimal("50000.00"), status="active",
                     company_signed_on=THIS, customer_signed_on=THIS),
            Contract(customer=other, owner=other.owner, title="Ferry", amount=Decimal("70000.00"), status="active",
                     company_signed_on=THIS, customer_signed_on=THIS),
            Contract(customer=ship, owner=ship.owner, title="Draft", amount=Decimal("999.00")),
            _opportunity(ship, "won", THIS, 10), _opportunity(fish, "won", THIS, 20),
            _opportunity(ship, "lost", THIS, 5), _opportunity(ship, "lost", PREVIOUS, 5),
            _opportunity(other, "won", PREVIOUS, 30), _opportunity(ship, "open", THIS, 1),
        ])
        engineer = add_engineer(session, users["engineer"], ["hull"])
        session.add_all(_serviced(ship, engineer, "2.5", 4, 5, hour=9)
                        + _serviced(other, engineer, "1.5", 2, 3, hour=12))
        claim = create_claim(session, claimant=users["sales"], customer_id=None, subject="visit", subject_id=None,
                             advance=Decimal(0), costs={"travel": Decimal("900.00")})
        review_claim(session, claim, True, Decimal("800.00"))
        claim.created_at = _at(THIS)
    return users


def _by_key(reports) -> dict[str, dict]:
    return {r["key"]: r for r in (r if isinstance(r, dict) else r.as_dict() for r in reports)}


def _series(report: dict) -> dict[str, list]:
    return {s["label"]: s["data"] for s in report["series"]}


def _month(report: dict, label: str, month: dt.date) -> float | None:
    return _series(report)[label][report["labels"].index(f"{month:%Y-%m}")]


def _reports_for(platform, username: str) -> dict[str, dict]:
    with platform.sessions() as session:
        user = session.scalar(select(User).where(User.username == username))
        return _by_key(build_reports(session, visible_owner_ids(session, user), last_twelve_months(TODAY, ZONE)))


def test_salesperson_sees_only_their_figures(platform, dataset):
    reports = _reports_for(platform, "sales")
    industry = reports["customers_by_industry"]
    assert industry["labels"] == ["Fishing", "Shipping"]
    assert _series(industry) == {"Customers": [1, 1], "Contracted amount": [50000.0, 100000.0]}
    assert _series(reports["customers_by_grade"]) == {"Customers": [1, 1], "Contracted amount": [100000.0, 50000.0]}
    assert reports["customers_by_grade"]["labels"] == ["key", "prospect"]

    sales = reports["sales"]
    assert sales["labels"] == last_twelve_months(TODAY, ZONE).labels and set(_series(sales)) == {"Sam Sales", "Total"}
    assert (_month(sales, "Total", PREVIOUS), _month(sales, "Total", THIS)) == (100000.0, 50000.0)
    assert sum(_series(sales)["Total"]) == 150000.0

    win = reports["win_rate"]
    assert (_month(win, "Won", THIS), _month(win, "Lost", THIS), _month(win, "Win rate %", THIS)) == (2, 1, 66.7)
    assert (_month(win, "Won", PREVIOUS), _month(win, "Win rate %", PREVIOUS)) == (0, 0.0)
    assert _series(win)["Win rate %"].count(None) == 10
    cycle = reports["sales_cycle"]
    assert (_month(cycle, "Days from creation to won", THIS), _month(cycle, "Days from creation to won", PREVIOUS)) \
        == (15.0, None)

    satisfaction = reports["satisfaction"]
    assert (_month(satisfaction, "Attitude", THIS), _month(satisfaction, "Quality", THIS)) == (4.0, 5.0)
    assert _month(reports["marketing_cost"], "Visits", THIS) == 800.0
    assert (_month(reports["engineer_jobs"], "Eve Engineer", THIS),
            _month(reports["engineer_hours"], "Eve Engineer", THIS)) == (1, 2.5)
    failures = reports["failures_by_product"]
    assert failures["labels"] == ["(no product)"] and _series(failures) == {"Repair": [1]}
    assert reports["complaint_causes"]["labels"] == ["Product quality"]
    assert _series(reports["complaint_causes"]) == {"Complaints": [1]}


def test_director_sees_the_team_over_json(dataset, login):
    reports = _by_key(login("salesdir").get("/reports/data.json").get_json()["reports"])
    industry = reports["customers_by_industry"]
    assert _series(industry) == {"Customers": [1, 2], "Contracted amount": [50000.0, 170000.0]}
    sales = reports["sales"]
    assert set(_series(sales)) == {"Sam Sales", "Sue Sales", "Total"}
    assert (_month(sales, "Sue Sales", THIS), _month(sales, "Total", THIS)) == (70000.0, 120000.0)
    win = reports["win_rate"]
    assert (_month(win, "Win rate %", THIS), _month(win, "Win rate %", PREVIOUS)) == (66.7, 50.0)
    assert _month(reports["sales_cycle"], "Days from creation to won", PREVIOUS) == 30.0
    satisfaction = reports["satisfaction"]
    assert (_month(satisfaction, "Attitude", THIS), _month(satisfaction, "Quality", THIS)) == (3.0, 4.0)
    assert (_month(reports["engineer_jobs"], "Eve Engineer", THIS),
            _month(reports["engineer_hours"], "Eve Engineer", THIS)) == (2, 4.0)

    own = _by_key(login("sales").get("/reports/data.json").get_json()["reports"])
    assert "Sue Sales" not in _series(own["sales"]) and _series(own["customers_by_industry"])["Customers"] == [1, 1]


def test_service_staff_see_every_customers_service_analyses(dataset, login):
    reports = _by_key(login("agent").get("/reports/data.json").get_json()["reports"])
    assert (_month(reports["engineer_jobs"], "Eve Engineer", THIS),
            _month(reports["engineer_hours"], "Eve Engineer", THIS)) == (2, 4.0)
    assert _series(reports["complaint_causes"]) == {"Complaints": [2]}
    assert _series(reports["customers_by_industry"]) == {"Customers": [], "Contracted amount": []}  # owns none


def test_page_lists_the_reports_of_the_viewer(dataset, login):
    page = login("sales").get("/reports/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'data-chart="customers_by_industry"' in html and 'data-chart="engineer_hours"' in html
    assert 'id="report-data"' in html and "chart.umd.min.js" in html
    assert 'data-report="wallet_by_grade"' in html and 'data-chart="margin"' not in html  # no costs for sales
    assert 'href="/reports/"' in html  # the navigation link


def test_export_holds_the_same_numbers(dataset, login):
    response = login("sales").get("/reports/export.xlsx")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    book = load_workbook(BytesIO(response.data))
    rows = list(book["Customers by industry"].iter_rows(values_only=True))
    assert rows[:3] == [("Customers by industry", "Customers", "Contracted amount"), ("Fishing", 1, 50000),
                        ("Shipping", 1, 100000)]
    sales = {row[0]: row[1:] for row in book["Sales (signed contract amount)"].iter_rows(values_only=True)}
    assert sales[_at(THIS, 0)] == (50000, 50000) and sales[_at(PREVIOUS, 0)] == (100000, 100000)
    assert "Share of wallet by grade" in book.sheetnames


def test_anonymous_is_sent_to_login(client):
    for url in ("/reports/", "/reports/data.json", "/reports/export.xlsx"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
