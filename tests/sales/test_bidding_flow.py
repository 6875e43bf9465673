"""Bidding (figure 7) end to end: bid/no-bid by value threshold, price loop, reminder and deadline timers,
won/lost, bond recovery."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from crm.sales.activities import Activity
from crm.sales.opportunities import Opportunity
from crm.sales.tenders import Tender
from engine import admin_actions
from engine.models import InstanceEvent
from tests.processes.task_helpers import user_id
from tests.support.timers import make_timers_due

DEADLINE = (dt.datetime.now() + dt.timedelta(days=10)).replace(microsecond=0)


def _tender(team, customer_id, value, **start):
    instance_id = team.start("bidding", "sales", customer_id=customer_id, project="Two 82k DWT bulk carriers",
                             deadline=DEADLINE.isoformat(), estimated_value=value, **start)
    team.do(instance_id, "bd_recommend", recommendation="bid", reasons="Fits our slots")
    return instance_id


def _to_submission(team, instance_id):
    team.do(instance_id, "bd_buy_documents", bond_amount="200000")
    team.do(instance_id, "bd_pay_bond", bond_reference="BOND-1")
    team.do(instance_id, "bd_technical", compliance="full")
    team.do(instance_id, "bd_commercial", bid_price="41000000")


def _tender_row(platform, instance_id) -> Tender:
    with platform.sessions() as session:
        tender = session.scalar(select(Tender).where(Tender.instance_id == instance_id))
        session.expunge(tender)
        return tender


def test_bid_within_threshold_reminded_and_won(team, platform, make_customer, settle_jobs):
    instance_id = _tender(team, make_customer(), "40000000")
    team.do(instance_id, "bd_director_decision")  # defaults to the recommendation
    assert {t.task_name for t in team.ready(instance_id)} == {"bd_buy_documents"}
    _to_submission(team, instance_id)
    team.do(instance_id, "bd_price_review", price_decision="revise", price_comment="Too low")
    team.do(instance_id, "bd_revise_price", bid_price="43500000")
    team.do(instance_id, "bd_price_review", price_decision="approve")
    timer_at = team.instance(instance_id).next_timer_at
    assert timer_at is not None and timer_at < DEADLINE  # the reminder, two days before
    make_timers_due(platform, instance_id, "bd_reminder_timer")
    settle_jobs()
    assert _tender_row(platform, instance_id).reminders_sent == 1
    assert [t.task_name for t in team.ready(instance_id)] == ["bd_submit"]  # the reminder does not interrupt
    team.do(instance_id, "bd_submit", submission_reference="SUB-9")
    team.do(instance_id, "bd_result", bid_result="won", result_note="Lowest compliant bid")
    team.do(instance_id, "bd_recover_bond")
    assert team.instance(instance_id).status == "completed"
    tender = _tender_row(platform, instance_id)
    assert (tender.status, tender.bid_price, tender.bid_bond, tender.bond_status) == (
        "won", Decimal("43500000.00"), Decimal("200000.00"), "recovered")
    with platform.sessions() as session:
        opportunity = session.get(Opportunity, tender.opportunity_id)
        assert (opportunity.status, opportunity.stage, opportunity.probability) == ("won", 9, 100)
        reminder = session.scalar(select(Activity).where(Activity.instance_id == instance_id))
        assert reminder.subject.startswith("Submit the bid") and reminder.owner.username == "sales"
    assert ("bd_technical", "engineer") in team.done and ("bd_pay_bond", "finance") in team.done


def test_above_threshold_deadline_passes_extended_then_lost(team, platform, make_customer, actors):
    instance_id = _tender(team, make_customer(), "90000000")
    team.do(instance_id, "bd_director_decision", bid_decision="bid")
    team.do(instance_id, "bd_sales_director", sales_director_decision="bid")
    _to_submission(team, instance_id)
    team.do(instance_id, "bd_price_review", price_decision="approve")
    with platform.sessions() as session:
        admin_actions.fire_timer_now(session, platform.engine, instance_id, actors["admin"], "deadline passed")
        session.commit()
    assert [t.task_name for t in team.ready(instance_id)] == ["bd_escalation"]
    new_deadline = (dt.datetime.now() + dt.timedelta(days=20)).replace(microsecond=0)
    team.do(instance_id, "bd_escalation", late_decision="extend", deadline=new_deadline.isoformat())
    assert team.instance(instance_id).next_timer_at > dt.datetime.now() + dt.timedelta(days=15)
    team.do(instance_id, "bd_submit")
    team.do(instance_id, "bd_result", bid_result="lost")
    team.do(instance_id, "bd_loss_analysis", loss_reason="price", loss_analysis="Competitor 8% lower")
    team.do(instance_id, "bd_recover_bond")
    tender = _tender_row(platform, instance_id)
    assert (tender.status, tender.loss_reason, tender.bond_status) == ("lost", "price", "recovered")
    with platform.sessions() as session:
        opportunity = session.get(Opportunity, tender.opportunity_id)
        assert (opportunity.status, opportunity.lost_reason) == ("lost", "price")
    assert ("bd_sales_director", "salesdir") in team.done and ("bd_escalation", "custdir") in team.done


def test_deadline_passed_and_withdrawn(team, platform, make_customer, settle_jobs):
    instance_id = _tender(team, make_customer(), "1000000")
    team.do(instance_id, "bd_director_decision")
    _to_submission(team, instance_id)
    team.do(instance_id, "bd_price_review", price_decision="approve")
    make_timers_due(platform, instance_id, "bd_deadline_timer")
    settle_jobs()
    team.do(instance_id, "bd_escalation", late_decision="withdraw")
    team.do(instance_id, "bd_recover_bond")
    assert team.instance(instance_id).status == "completed"
    assert _tender_row(platform, instance_id).status == "withdrawn"


@pytest.mark.parametrize(("value", "decisions"), [
    ("1000000", {"bd_director_decision": {"bid_decision": "no_bid"}}),
    ("90000000", {"bd_director_decision": {"bid_decision": "bid"},
                  "bd_sales_director": {"sales_director_decision": "no_bid"}}),
])
def test_no_bid(team, platform, make_customer, value, decisions):
    instance_id = _tender(team, make_customer(), value)
    for name, choices in decisions.items():
        team.do(instance_id, name, **choices)
    assert team.instance(instance_id).status == "completed"
    tender = _tender_row(platform, instance_id)
    assert tender.status == "no_bid" and tender.bond_status == "none"
    with platform.sessions() as session:
        assert session.get(Opportunity, tender.opportunity_id).lost_reason == "no bid"


@pytest.mark.parametrize("named", [True, False])
def test_the_named_bid_manager_and_technical_lead_get_their_steps(team, platform, make_customer, named):
    """Named on the tender: their steps are theirs; not named: the salespeople's and engineers' queues."""
    people = {"bid_manager": "sales", "technical_lead": "engineer"} if named else {}
    instance_id = team.start("bidding", "sales", customer_id=make_customer(), project="Ferry refit",
                             deadline=DEADLINE.isoformat(), estimated_value="40000000",
                             **{role: user_id(platform, name) for role, name in people.items()})
    assert team.task(instance_id, "bd_recommend").assignee == people.get("bid_manager")
    team.do(instance_id, "bd_recommend", recommendation="bid", reasons="Fits our slots")
    team.do(instance_id, "bd_director_decision")
    assert team.task(instance_id, "bd_buy_documents").assignee == people.get("bid_manager")
    team.do(instance_id, "bd_buy_documents", bond_amount="200000")
    team.do(instance_id, "bd_pay_bond", bond_reference="BOND-1")
    assert team.task(instance_id, "bd_technical").assignee == people.get("technical_lead")
    assert team.task(instance_id, "bd_commercial").assignee == people.get("bid_manager")
    team.do(instance_id, "bd_technical", compliance="full")
    assert ("bd_technical", "engineer") in team.done
    with platform.sessions() as session:  # an empty choice is no assignment problem
        assert session.scalars(select(InstanceEvent).where(InstanceEvent.instance_id == instance_id,
                                                           InstanceEvent.kind == "assignment")).all() == []
