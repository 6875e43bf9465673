"""A departing salesperson's customers go to a colleague; every past record keeps its history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from crm.accounts.users import User
from crm.customers.models import Customer
from crm.customers.ownership import OwnerChange, reassign_customers
from crm.sales.activities import Activity, complete_activity, plan_activity
from crm.sales.opportunities import Opportunity, StageChange, close_opportunity, create_opportunity
from crm.sales.visits import Visit


def _history(platform, make_customer) -> dict[str, int]:
    """A customer of ``sales`` with done and planned work, won and open opportunities, and a visit."""
    customer_id = make_customer()
    with platform.sessions.begin() as session:
        customer = session.get(Customer, customer_id)
        owner = customer.owner
        done = plan_activity(session, customer, owner, "call", "First call", dt.date.today())
        complete_activity(session, done, "Interested")
        planned = plan_activity(session, customer, owner, "visit", "Yard visit", dt.date.today())
        won = create_opportunity(session, customer, "Tug", Decimal("100000"), "sales")
        close_opportunity(session, won, True, "sales")
        open_opp = create_opportunity(session, customer, "Ferry", Decimal("900000"), "sales", stage=4)
        session.add(Visit(customer=customer, visitor=owner, purpose="Intro", status="closed"))
        return {"customer": customer_id, "done": done.id, "planned": planned.id, "won": won.id,
                "open": open_opp.id}


def _owner(session, model, record_id) -> str:
    return session.get(User, session.get(model, record_id).owner_id).username


def test_reassign_service_moves_open_work_and_keeps_history(platform, make_customer):
    ids = _history(platform, make_customer)
    other = make_customer("Someone else's", owner="sales2")
    with platform.sessions.begin() as session:
        users = {u.username: u for u in session.scalars(select(User))}
        assert reassign_customers(session, users["sales"], users["sales2"], "salesdir", "left the company") == 1
        with pytest.raises(ValueError):
            reassign_customers(session, users["sales"], users["sales"], "salesdir")
    with platform.sessions() as session:
        assert _owner(session, Customer, ids["customer"]) == "sales2"
        assert _owner(session, Opportunity, ids["open"]) == "sales2"
        assert _owner(session, Activity, ids["planned"]) == "sales2"
        assert _owner(session, Opportunity, ids["won"]) == "sales"  # closed work stays with who did it
        assert _owner(session, Activity, ids["done"]) == "sales"
        visit = session.scalar(select(Visit).where(Visit.customer_id == ids["customer"]))
        assert visit.visitor.username == "sales"
        changes = session.scalars(select(StageChange).where(StageChange.opportunity_id == ids["won"])).all()
        assert {c.changed_by for c in changes} == {"sales"}
        [change] = session.scalars(select(OwnerChange)).all()
        assert (change.customer_id, change.from_owner.username, change.to_owner.username, change.reason) == (
            ids["customer"], "sales", "sales2", "left the company")
        assert _owner(session, Customer, other) == "sales2"


def test_director_reassigns_from_the_page(platform, login, make_customer):
    ids = _history(platform, make_customer)
    with platform.sessions() as session:
        users = {u.username: u.id for u in session.scalars(select(User))}
    assert login("sales").get("/customers/reassign").status_code == 403
    director = login("salesdir")
    assert "Sam Sales (1)" in director.get("/customers/reassign").get_data(as_text=True)
    response = director.post("/customers/reassign", data={"departing_id": users["sales"],
                                                           "successor_id": users["sales2"], "reason": "retired"})
    assert response.status_code == 302
    assert login("sales").get(f"/customers/{ids['customer']}").status_code == 404
    page = login("sales2").get(f"/customers/{ids['customer']}").get_data(as_text=True)
    assert "Owner changed from Sam Sales to Sue Sales" in page and "First call" in page and "Tug" in page
    assert 'data-kind="owner"' in page

    director.post(f"/customers/{ids['customer']}/reassign", data={"successor_id": users["sales"]})
    with platform.sessions() as session:
        assert _owner(session, Customer, ids["customer"]) == "sales"
        assert len(session.scalars(select(OwnerChange)).all()) == 2
