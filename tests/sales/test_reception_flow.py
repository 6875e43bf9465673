"""Customer reception (figure 9) end to end: within authority and paid; rejected, escalated, cancelled."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from crm.sales.activities import Activity
from crm.sales.expenses import ExpenseClaim
from crm.sales.visits import Reception


def _reception(team, customer_id, budget):
    instance_id = team.start("customer_reception", "info", customer_id=customer_id, purpose="Shipyard tour",
                             arrival_date="2030-03-01", guest_count=3, guests="Mr Chen, Ms Wang, Mr Zhao")
    team.do(instance_id, "cr_draft_plan", budget=budget, agenda="Yard tour, dinner, hotel")
    return instance_id


def test_within_authority_hosted_reported_and_reimbursed(team, platform, make_customer):
    customer_id = make_customer(grade="key")
    instance_id = _reception(team, customer_id, "40000")
    assert team.data(instance_id)["approval_level"] == "customer_director"  # key customer: up to 50,000
    team.do(instance_id, "cr_director_approval", director_decision="approve", arrangements="Dinner at the yard club")
    team.do(instance_id, "cr_prepare", preparation_notes="Rooms and cars", rooms_booked=True)
    team.do(instance_id, "cr_pay_advance", advance_amount="10000")
    team.do_html(instance_id, "cr_host", greeted=True, led_to_venue=True, reception_held=True, seen_off=True,
                 reception_notes="Guests liked the new dock")
    team.do(instance_id, "cr_write_report", report="Good visit", travel_cost="0", accommodation_cost="6000",
            meal_cost="5000", gift_cost="0", other_cost="0")
    team.do(instance_id, "cr_hear_report", director_feedback="Follow up on the dock")
    team.do(instance_id, "claim_review", claim_decision="approve")
    team.do(instance_id, "claim_pay", payment_reference="PAY-7")
    assert team.instance(instance_id).status == "completed"
    with platform.sessions() as session:
        reception = session.scalar(select(Reception).where(Reception.instance_id == instance_id))
        assert (reception.status, reception.advance_paid, reception.guest_count) == ("closed", 10000, 3)
        assert reception.host.username == "info" and reception.report == "Good visit"
        claim = session.scalar(select(ExpenseClaim).where(ExpenseClaim.instance_id == instance_id))
        assert (claim.status, claim.total, claim.balance) == ("paid", Decimal("11000.00"), Decimal("1000.00"))
        assert claim.claimant.username == "info"
        meeting = session.scalar(select(Activity).where(Activity.instance_id == instance_id))
        assert (meeting.kind, meeting.status, meeting.outcome) == ("meeting", "done", "Guests liked the new dock")


def test_rejected_then_escalated_then_cancelled(team, platform, make_customer):
    instance_id = _reception(team, make_customer(), "5000")
    team.do(instance_id, "cr_director_approval", director_decision="reject", director_comment="Bigger delegation?")
    team.do(instance_id, "cr_revise_or_cancel", revise_decision="revise")
    team.do(instance_id, "cr_draft_plan", budget="60000", guest_count=8)
    assert team.data(instance_id)["approval_level"] == "marketing_director"
    team.do(instance_id, "cr_director_approval", director_decision="approve")
    team.do(instance_id, "cr_marketing_approval", marketing_decision="reject")
    team.do(instance_id, "cr_revise_or_cancel", revise_decision="cancel")
    assert team.instance(instance_id).status == "completed"
    with platform.sessions() as session:
        reception = session.scalar(select(Reception).where(Reception.instance_id == instance_id))
        assert (reception.status, reception.approval_level, reception.guest_count) == (
            "cancelled", "marketing_director", 8)
