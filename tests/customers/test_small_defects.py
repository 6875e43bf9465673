"""Defects seen in the browser (issue 12, item 10) that the server side decides."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from crm.customers.models import Customer
from crm.sales.activities import complete_activity, plan_activity
from crm.sales.opportunities import create_opportunity
from services.customers.timeline import customer_timeline


def test_stage_history_shows_the_stage_probability_at_creation(platform, make_customer):
    customer_id = make_customer()
    with platform.sessions.begin() as session:
        opp = create_opportunity(session, session.get(Customer, customer_id), "Tug", Decimal("1000"), "sales",
                                 stage=2)
        [first] = opp.history
        assert (first.status, first.probability) == ("open", 20)


def test_timeline_names_the_activity_kind_once(platform, make_customer):
    customer_id = make_customer()
    with platform.sessions.begin() as session:
        customer = session.get(Customer, customer_id)
        older = plan_activity(session, customer, customer.owner, "call", "Call: tug requirements", dt.date.today())
        complete_activity(session, older, "Interested")
        plan_activity(session, customer, customer.owner, "email", "Brochure", dt.date.today())
    with platform.sessions() as session:
        titles = {entry.title for entry in customer_timeline(session, customer_id)}
    assert titles == {"Call: tug requirements", "E-mail (planned): Brochure"}


def test_the_opportunity_page_shows_the_stage_probability_at_creation(platform, login, make_customer):
    customer_id = make_customer()
    with platform.sessions.begin() as session:
        opp = create_opportunity(session, session.get(Customer, customer_id), "Tug", Decimal("1000"), "sales",
                                 stage=2)
        opp_id = opp.id
    page = login("sales").get(f"/opportunities/{opp_id}").get_data(as_text=True)
    history = page.split('id="stage-history"', 1)[1].split("</table>", 1)[0]
    assert "<td>20%</td>" in history and "<td>0%</td>" not in history


def test_a_call_logged_on_the_page_reads_once_in_the_timeline(login, make_customer):
    customer_id = make_customer()
    sales = login("sales")
    for subject in ("需求沟通", "Call: tug requirements"):  # typed with and without the kind's prefix
        logged = sales.post(f"/customers/{customer_id}/activities",
                            data={"kind": "call", "subject": subject, "outcome": "Interested"})
        assert logged.status_code == 302
    timeline = sales.get(f"/customers/{customer_id}").get_data(as_text=True).split('id="timeline"', 1)[1]
    assert "Call: 需求沟通" in timeline and "Call: tug requirements" in timeline
    assert "Call: Call:" not in timeline
