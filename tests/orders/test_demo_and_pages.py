"""The orders demo loads quickly and deterministically; every order and service page renders for its roles."""

import time
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from crm.orders.contracts import Contract
from crm.orders.payments import PaymentPlan, PaymentPlanLine
from crm.orders.projects import Project
from crm.orders.quotes import Quote
from crm.service.engineers import Booking
from crm.service.service_desk import ServiceRequest
from demo import orders as demo_orders
from demo.users import create_demo_users
from engine.models import HumanTask
from i18n import zones


@pytest.fixture
def demo(platform, order_processes, settle_jobs):
    started = time.monotonic()
    with platform.sessions() as session:
        message = demo_orders.load(platform, session, create_demo_users(session))
        session.commit()
        platform.relay.after_commit(session)
    settle_jobs()
    return message, time.monotonic() - started


def test_demo_loads_quickly_and_only_once(platform, demo):
    message, seconds = demo
    assert seconds < 20, f"the orders demo took {seconds:.1f} s"
    assert message.startswith("orders: 8 catalogue entries, 4 quotes, 3 contracts, 3 payment collections")
    with platform.sessions() as session:
        statuses = sorted(session.scalars(select(Contract.status)))
        assert statuses == ["active", "in_approval", "in_approval"]
        assert session.scalar(select(func.count()).select_from(Booking)) == 6
        assert sorted(session.scalars(select(ServiceRequest.status))) == [
            "closed", "in_service", "in_service", "new", "resolved"]
        overdue = session.scalar(select(PaymentPlanLine).where(PaymentPlanLine.label == "Advance"))
        assert overdue.status == "partially_paid" and overdue.paid_amount == Decimal("1000000.00")
        lanes = set(session.scalars(select(HumanTask.role).where(HumanTask.status == "ready")))
        assert {"customer_director", "finance", "salesperson", "service_agent", "engineer"} <= lanes
        assert demo_orders.load(platform, session, create_demo_users(session)) == "orders demo data already loaded"


PAGES = [
    ("sales", "/quotes/"), ("sales", "/quotes/{quote}"), ("sales", "/contracts/"), ("sales", "/contracts/{contract}"),
    ("sales", "/contracts/{contract}/document"), ("sales", "/projects/"), ("sales", "/projects/{project}"),
    ("finance", "/payments/receivables"), ("finance", "/payments/plans/{plan}"), ("custdir", "/contracts/templates"),
    ("agent", "/service/"), ("agent", "/service/requests/{request}"), ("agent", "/engineers/"),
    ("engineer", "/engineers/"),
]
REFUSED = [
    ("agent", "/quotes/"), ("engineer", "/contracts/"), ("sales", "/service/"), ("agent", "/payments/receivables"),
    ("sales2", "/contracts/{contract}"), ("sales", "/contracts/templates"),
]


def first_ids(platform) -> dict[str, int]:
    """The first record of each kind (ids differ between backends: PostgreSQL sequences are not reset)."""
    models = {"quote": Quote, "contract": Contract, "project": Project, "plan": PaymentPlan, "request": ServiceRequest}
    with platform.sessions() as session:
        return {name: session.scalar(select(func.min(model.id))) for name, model in models.items()}


def test_pages_render_for_their_roles_only(login, demo, platform):
    """One demo load for all pages (loading it per page would take minutes)."""
    ids = first_ids(platform)
    users = {name: login(name) for name in {u for u, _ in PAGES + REFUSED}}
    for username, url in PAGES:
        response = users[username].get(url.format(**ids))
        assert response.status_code == 200, (username, url, response.get_data(as_text=True)[:2000])
    for username, url in REFUSED:
        assert users[username].get(url.format(**ids)).status_code in (403, 404), (username, url)


def test_receivables_show_the_overdue_advance_in_its_bucket(login, demo, platform):
    with platform.sessions() as session:
        advance = session.scalar(select(PaymentPlanLine).where(PaymentPlanLine.label == "Advance"))
        open_amount = advance.open_amount
    page = login("finance").get("/payments/receivables").get_data(as_text=True)
    assert f'data-bucket="31-60"><span class="font-monospace">¥{open_amount:,.2f}</span>' in page  # 40 days overdue


def test_a_template_with_an_unknown_placeholder_is_refused(login, demo):
    director = login("custdir")
    response = director.post("/contracts/templates", {"name": "Broken", "body": "{{ contract.nonsense }}"})
    assert response.status_code == 200 and "cannot be filled" in response.get_data(as_text=True)
    saved = director.post("/contracts/templates", {"name": "Short", "body": "<p>{{ contract.number }}</p>"})
    assert saved.status_code == 302


def test_manual_booking_conflict_is_refused_on_the_schedule(login, demo, platform):
    with platform.sessions() as session:
        taken = session.scalars(select(Booking).order_by(Booking.id)).first()
        engineer_id, starts_at = taken.engineer_id, taken.starts_at
    agent = login("agent")
    response = agent.post("/engineers/bookings", {"engineer_id": engineer_id, "starts_at": starts_at.isoformat(),
                                                  "hours": "1", "week": starts_at.date().isoformat()})
    assert "is already booked" in agent.get(response.headers["Location"]).get_data(as_text=True)


@pytest.fixture
def china_site(platform):
    """The demo's own setting: the site's zone is Asia/Shanghai (``make run``), not the tests' UTC."""
    zones.configure("Asia/Shanghai")
    yield
    zones.configure(platform.settings.timezone)


def test_demo_loads_in_china_time_with_bookings_in_working_hours(platform, order_processes, settle_jobs,
                                                                  china_site):
    with platform.sessions() as session:
        assert demo_orders.load(platform, session, create_demo_users(session)).startswith("orders: 8 catalogue")
        session.commit()
        platform.relay.after_commit(session)
    settle_jobs()
    with platform.sessions() as session:
        local = [zones.to_local(b.starts_at, zones.site_zone()) for b in session.scalars(select(Booking))]
    assert len(local) == 6 and all(7 <= moment.hour < 17 for moment in local), local
