"""Customer visit (figure 6) end to end over HTTP: approval within and above authority, rejection, reimbursement."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from crm.sales.activities import Activity
from crm.sales.expenses import ExpenseClaim
from crm.sales.visits import Visit


def _visit(team, customer_id, budget):
    instance_id = team.start("customer_visit", "sales", customer_id=customer_id, purpose="Present the new hull design")
    team.do(instance_id, "cv_draft_plan", budget=budget, objectives="Hull design, delivery slots")
    return instance_id


def test_within_authority_then_report_returned_and_claim_paid(team, platform, make_customer):
    customer_id = make_customer()
    instance_id = _visit(team, customer_id, "15000")
    assert team.data(instance_id)["approval_level"] == "customer_director"
    team.do(instance_id, "cv_director_approval", director_decision="approve")
    assert {t.task_name for t in team.ready(instance_id)} == {"cv_prepare", "cv_pay_advance"}
    team.do(instance_id, "cv_pay_advance", advance_amount="5000")
    team.do_html(instance_id, "cv_prepare", preparation_notes="Brochures and samples", materials=["brochures"])
    team.do(instance_id, "cv_visit", needs="Two LNG carriers", gift_value="300", next_visit_date="2030-01-15",
            next_visit_plan="Technical exchange")
    team.do(instance_id, "cv_write_report", report="First draft", travel_cost="2000", meal_cost="800",
            accommodation_cost="0", other_cost="0")
    team.do(instance_id, "cv_review_report", report_decision="return", report_comment="Add the competitors")
    team.do(instance_id, "cv_write_report", report="Final report with competitors")
    team.do(instance_id, "cv_review_report", report_decision="accept")
    team.do(instance_id, "cv_check_report")
    team.do(instance_id, "claim_review", claim_decision="approve", approved_amount="3000")
    team.do(instance_id, "claim_pay", payment_reference="PAY-1")
    assert team.instance(instance_id).status == "completed"
    with platform.sessions() as session:
        visit = session.scalar(select(Visit).where(Visit.instance_id == instance_id))
        assert (visit.status, visit.approval_level, visit.advance_paid) == ("closed", "customer_director", 5000)
        assert visit.report == "Final report with competitors" and visit.visitor.username == "sales"
        claim = session.scalar(select(ExpenseClaim).where(ExpenseClaim.instance_id == instance_id))
        assert claim.status == "paid" and claim.total == Decimal("3100.00")  # travel, meals, gifts 300
        assert (claim.approved_amount, claim.balance) == (Decimal("3000.00"), Decimal("-2000.00"))
        assert claim.claimant.username == "sales" and claim.subject == "visit" and claim.subject_id == visit.id
        activities = session.scalars(select(Activity).where(Activity.instance_id == instance_id)).all()
        assert sorted((a.status, a.kind) for a in activities) == [("done", "visit"), ("planned", "visit")]
    assert [user for name, user in team.done if name.startswith("claim_")] == ["custdir", "finance"]


def test_above_authority_needs_the_marketing_director(team, platform, make_customer):
    customer_id = make_customer(grade="ordinary")
    instance_id = _visit(team, customer_id, "30000")
    assert team.data(instance_id)["approval_level"] == "marketing_director"
    team.do(instance_id, "cv_director_approval", director_decision="approve")
    team.do(instance_id, "cv_marketing_approval", marketing_decision="reject", marketing_comment="Too expensive")
    team.do(instance_id, "cv_revise_or_cancel", revise_decision="revise")
    team.do(instance_id, "cv_draft_plan", budget="25000")
    team.do(instance_id, "cv_director_approval", director_decision="approve")
    team.do(instance_id, "cv_marketing_approval", marketing_decision="approve")
    team.do(instance_id, "cv_prepare")
    team.do(instance_id, "cv_pay_advance")
    team.do(instance_id, "cv_visit")
    team.do(instance_id, "cv_write_report")
    team.do(instance_id, "cv_review_report", report_decision="accept")
    team.do(instance_id, "cv_check_report")
    team.do(instance_id, "claim_review", claim_decision="reject")
    assert team.instance(instance_id).status == "completed"
    with platform.sessions() as session:
        visit = session.scalar(select(Visit).where(Visit.instance_id == instance_id))
        assert (visit.status, visit.approval_level, visit.budget) == ("closed", "marketing_director", 25000)
        claim = session.scalar(select(ExpenseClaim).where(ExpenseClaim.instance_id == instance_id))
        assert claim.status == "rejected"
    assert ("cv_marketing_approval", "mktdir") in team.done


def test_rejected_visit_is_cancelled(team, platform, make_customer):
    instance_id = _visit(team, make_customer(), "1000")
    team.do(instance_id, "cv_director_approval", director_decision="reject", director_comment="Not now")
    team.do(instance_id, "cv_revise_or_cancel", revise_decision="cancel")
    assert team.instance(instance_id).status == "completed"
    with platform.sessions() as session:
        assert session.scalar(select(Visit.status).where(Visit.instance_id == instance_id)) == "cancelled"
