"""Customer list and page, pipeline board, opportunity page, daily plans: over HTTP, within data scope."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from crm.accounts.users import User
from crm.customers.behaviour import record_behaviour
from crm.customers.models import Contact, Customer
from crm.sales.activities import Activity, plan_activity
from crm.sales.opportunities import Opportunity, StageChange, create_opportunity


def _users(session) -> dict[str, User]:
    return {u.username: u for u in session.scalars(select(User))}


def _customers(platform, count: int, owner: str, **attrs) -> list[int]:
    with platform.sessions.begin() as session:
        user = _users(session)[owner]
        rows = [Customer(company=f"{owner.capitalize()} Customer {i:02d}", owner=user, **attrs) for i in range(count)]
        session.add_all(rows)
        session.flush()
        return [c.id for c in rows]


def test_customer_list_scope_filters_search_and_pages(platform, login):
    _customers(platform, 30, "sales", industry="Shipping", region="East", grade="key")
    _customers(platform, 3, "sales2", industry="Offshore", region="North")
    [findme] = _customers(platform, 1, "sales2")
    with platform.sessions.begin() as session:
        session.add(Contact(customer_id=findme, name="Zhang Findme"))
    sales, director = login("sales"), login("salesdir")

    page = sales.get("/customers/").get_data(as_text=True)
    assert 'data-count="customers">30<' in page and "Sales2 Customer" not in page
    assert page.count("data-customer-id=") == 25 and "page=2" in page
    assert sales.get("/customers/?page=2").get_data(as_text=True).count("data-customer-id=") == 5
    assert 'data-count="customers">34<' in director.get("/customers/").get_data(as_text=True)
    assert 'data-count="customers">34<' in login("info").get("/customers/").get_data(as_text=True)

    filtered = director.get("/customers/?industry=Offshore&region=North").get_data(as_text=True)
    assert 'data-count="customers">3<' in filtered
    assert 'data-count="customers">30<' in director.get("/customers/?grade=key").get_data(as_text=True)
    with platform.sessions() as session:
        sales2_id = _users(session)["sales2"].id
    assert 'data-count="customers">4<' in director.get(f"/customers/?owner_id={sales2_id}").get_data(as_text=True)
    found = director.get("/customers/?q=findme").get_data(as_text=True)
    assert 'data-count="customers">1<' in found
    assert 'data-count="customers">0<' in sales.get("/customers/?q=findme").get_data(as_text=True)


def test_customer_page_timeline(team, platform, login, make_customer):
    customer_id = make_customer()
    other_id = make_customer("Not yours", owner="sales2")
    with platform.sessions.begin() as session:
        customer = session.get(Customer, customer_id)
        record_behaviour(session, customer.contacts[0], "seminar", "LNG seminar, Shanghai")
        plan_activity(session, customer, customer.owner, "call", "Invite to the seminar", dt.date.today())
        create_opportunity(session, customer, "Four feeder ships", Decimal("1000000"), "sales")
    instance_id = team.start("customer_visit", "sales", customer_id=customer_id, purpose="Yard visit")
    team.do(instance_id, "cv_draft_plan")
    page = team.user("sales").get(f"/customers/{customer_id}").get_data(as_text=True)
    kinds = {"behaviour", "activity", "opportunity", "visit", "process"}
    assert all(f'data-kind="{kind}"' in page for kind in kinds)
    assert "LNG seminar, Shanghai" in page and "Customer visit #" in page and "① Draft the visit plan" in page
    assert "Four feeder ships" in page
    assert login("sales").get(f"/customers/{other_id}").status_code == 404
    assert login("custdir").get(f"/customers/{other_id}").status_code == 200


def test_pipeline_board_and_drag_to_advance(platform, login, make_customer):
    customer_id = make_customer()
    other_id = make_customer("Other", owner="sales2")
    with platform.sessions.begin() as session:
        customer, other = session.get(Customer, customer_id), session.get(Customer, other_id)
        mine = create_opportunity(session, customer, "Bulk carrier", Decimal("2000000"), "sales", stage=2).id
        theirs = create_opportunity(session, other, "Tug", Decimal("500000"), "sales2", stage=5).id
    sales = login("sales")
    board = sales.get("/opportunities/").get_data(as_text=True)
    assert "Bulk carrier" in board and "Tug" not in board
    assert ">¥400,000.00<" in board  # 2,000,000 at the stage-2 default of 20%
    assert "Tug" in login("salesdir").get("/opportunities/").get_data(as_text=True)

    moved = sales.api("POST", f"/opportunities/{mine}/stage", json={"stage": 6})
    assert moved.status_code == 200, moved.get_json()
    body = moved.get_json()
    assert (body["stage"], body["probability"], body["weighted_amount"]) == (6, 60, "1200000.00")
    assert {c["stage"]: c["count"] for c in body["columns"]}[6] == 1
    assert sales.api("POST", f"/opportunities/{mine}/stage", json={"stage": 12}).status_code == 400
    assert sales.api("POST", f"/opportunities/{theirs}/stage", json={"stage": 6}).status_code == 404
    assert sales.client.post(f"/opportunities/{mine}/stage", json={"stage": 7}).status_code == 400  # no CSRF
    with platform.sessions() as session:
        history = session.scalars(select(StageChange).where(StageChange.opportunity_id == mine)
                                  .order_by(StageChange.id)).all()
        assert [(h.from_stage, h.to_stage, h.changed_by) for h in history] == [(None, 2, "sales"), (2, 6, "sales")]


def test_opportunity_page_override_and_close(platform, login, make_customer):
    with platform.sessions.begin() as session:
        opp_id = create_opportunity(session, session.get(Customer, make_customer()), "Dredger", Decimal("800000"),
                                    "sales", stage=3).id
    sales = login("sales")
    response = sales.post(f"/opportunities/{opp_id}", data={
        "stage": "4", "probability": "55", "amount": "900000", "expected_close": "2031-06-30",
        "status_analysis": "Owner likes the design; financing open"})
    assert response.status_code == 302
    page = sales.get(f"/opportunities/{opp_id}").get_data(as_text=True)
    assert "55% (set by hand)" in page and "financing open" in page and 'id="stage-history"' in page
    assert sales.post(f"/opportunities/{opp_id}/close", data={"result": "lost"}).status_code == 302
    with platform.sessions() as session:
        opp = session.get(Opportunity, opp_id)
        assert (opp.stage, opp.probability, opp.amount, opp.status) == (4, 55, Decimal("900000.00"), "open")
    sales.post(f"/opportunities/{opp_id}/close", data={"result": "lost", "lost_reason": "Financing failed"})
    with platform.sessions() as session:
        opp = session.get(Opportunity, opp_id)
        assert (opp.status, opp.lost_reason, opp.probability) == ("lost", "Financing failed", 0)
        assert [h.to_stage for h in opp.history] == [3, 4, 4]


def test_daily_plan_and_the_managers_view(platform, login, make_customer):
    customer_id = make_customer()
    today, tomorrow = dt.date.today(), dt.date.today() + dt.timedelta(days=1)
    sales = login("sales")
    for subject in ("Call about the bid", "Send the brochure"):
        assert sales.post("/plans/activities", data={"customer_id": customer_id, "kind": "call",
                                                     "subject": subject, "day": today.isoformat()}).status_code == 302
    with platform.sessions() as session:
        first = session.scalar(select(Activity).where(Activity.subject == "Call about the bid")).id
    sales.post(f"/plans/activities/{first}/done", data={"outcome": "Interested", "next_action": "Visit the yard",
                                                        "next_action_date": tomorrow.isoformat()})
    sales.post("/plans/notes", data={"day": today.isoformat(), "notes": "Focus on bids"})
    page = sales.get("/plans/").get_data(as_text=True)
    assert 'data-completion>50%' in page and "Interested" in page
    assert "Visit the yard" in sales.get(f"/plans/?day={tomorrow.isoformat()}").get_data(as_text=True)

    director = login("salesdir")
    team_page = director.get("/plans/team").get_data(as_text=True)
    assert 'data-person="sales"' in team_page and 'data-person="sales2"' in team_page
    assert "Focus on bids" in team_page and 'data-completion>50%' in team_page
    with platform.sessions() as session:
        sales_id = _users(session)["sales"].id
    director.post(f"/plans/team/{sales_id}/comment", data={"day": today.isoformat(), "comment": "Good; call back"})
    assert "Good; call back" in sales.get("/plans/").get_data(as_text=True)
    assert login("custdir").post(f"/plans/team/{sales_id}/comment", data={"comment": "x"}).status_code == 404
    assert sales.post("/plans/activities", data={"customer_id": make_customer("x", owner="sales2"), "kind": "call",
                                                 "subject": "Not mine"}).status_code == 302
    with platform.sessions() as session:
        assert session.scalar(select(Activity).where(Activity.subject == "Not mine")) is None
