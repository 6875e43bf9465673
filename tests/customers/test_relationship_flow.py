"""Customer relationship maintenance (figure 5) end to end: grading by DMN, roster, plan review loops."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from crm.customers.models import Customer
from crm.customers.service_plans import ServicePlan


def test_plan_is_revised_approved_improved_and_completed(team, platform, make_customer):
    customer_id = make_customer(won=Decimal("800000"))
    instance_id = team.start("relationship_maintenance", "sales", customer_id=customer_id,
                             customer_info="Builds bulk carriers; new CFO since March")
    team.do(instance_id, "rm_collect", region="North", phone="+86 21 5555 0101", industry="")
    data = team.data(instance_id)
    assert data["performance"]["revenue"] == "800000.00"
    assert (data["grade"], data["relationship_type"]) == ("ordinary", "occasional")
    with platform.sessions() as session:
        customer = session.get(Customer, customer_id)
        assert (customer.grade, customer.in_roster, customer.region, customer.industry) == (
            "ordinary", True, "North", "Shipping")
    team.do(instance_id, "rm_draft_plan", plan_content="Quarterly visits", visits_per_year=4,
            service_items=["regular_visits", "technical_support"])
    team.do(instance_id, "rm_review_plan", review_decision="revise", review_comment="Add training")
    team.do(instance_id, "rm_draft_plan", plan_content="Quarterly visits and training")
    team.do(instance_id, "rm_review_plan", review_decision="approve")
    team.do(instance_id, "rm_approve_plan", approval_decision="revise", approval_comment="Budget too high")
    team.do(instance_id, "rm_draft_plan", plan_budget="8000")
    team.do(instance_id, "rm_review_plan", review_decision="approve")
    team.do(instance_id, "rm_approve_plan", approval_decision="approve")
    team.do(instance_id, "rm_carry_out", outcome="Two visits done", problems_found=True,
            problems="Customer wants monthly calls")
    with platform.sessions() as session:
        plan = session.scalar(select(ServicePlan).where(ServicePlan.instance_id == instance_id))
        assert (plan.status, plan.revision, plan.budget) == ("improving", 1, Decimal("8000.00"))
    team.do(instance_id, "rm_improve", plan_content="Quarterly visits, training, monthly calls",
            improvement_note="Monthly calls added")
    team.do(instance_id, "rm_review_plan", review_decision="approve")
    team.do(instance_id, "rm_approve_plan", approval_decision="approve")
    team.do(instance_id, "rm_carry_out", outcome="All done", problems_found=False)
    assert team.instance(instance_id).status == "completed"
    with platform.sessions() as session:
        plan = session.scalar(select(ServicePlan).where(ServicePlan.instance_id == instance_id))
        assert (plan.status, plan.revision) == ("completed", 2)
        assert plan.content == "Quarterly visits, training, monthly calls"
        assert plan.service_items == "regular_visits, technical_support"
    lanes = {name: user for name, user in team.done}
    assert lanes == {"rm_collect": "info", "rm_draft_plan": "info", "rm_review_plan": "custdir",
                     "rm_approve_plan": "salesdir", "rm_carry_out": "sales", "rm_improve": "info"}


def test_key_customer_graded_by_the_rules(team, platform, make_customer):
    customer_id = make_customer(won=Decimal("6000000"))
    instance_id = team.start("relationship_maintenance", "sales", customer_id=customer_id, customer_info="Big one")
    team.do(instance_id, "rm_collect")
    with platform.sessions() as session:
        assert session.get(Customer, customer_id).grade == "key"
