"""Service-task operations of the relationship-maintenance flowchart (bpmn/relationship_maintenance.bpmn):
tidy, assess and grade a customer, put it on the roster, issue a service plan and record how it went.
"""

from __future__ import annotations

from decimal import Decimal

from crm.customers import profiles, service_plans
from crm.customers.performance import customer_performance
from engine.services import HandlerContext, HandlerRegistry
from i18n import _


def register(registry: HandlerRegistry) -> None:
    @registry.register("crm.tidy_customer")
    def tidy_customer(ctx: HandlerContext, customer_id: int, **values):
        """① Store the customer attributes the information officer tidied."""
        customer = profiles.get_customer(ctx.session, customer_id)
        return {"changed": profiles.tidy_profile(ctx.session, customer, values)}

    @registry.register("crm.sales_performance")
    def sales_performance(ctx: HandlerContext, customer_id: int):
        """② Revenue, pipeline and interactions of the customer over the last year."""
        return customer_performance(ctx.session, profiles.get_customer(ctx.session, customer_id).id)

    @registry.register("crm.grade_customer")
    def grade_customer(ctx: HandlerContext, customer_id: int, grade: str, relationship_type: str):
        """③ Store the grade the grading decision table chose."""
        profiles.set_grade(ctx.session, profiles.get_customer(ctx.session, customer_id), grade, relationship_type)
        return {"grade": grade, "relationship_type": relationship_type}

    @registry.register("crm.register_in_roster")
    def register_in_roster(ctx: HandlerContext, customer_id: int):
        """④ Put the customer on the roster."""
        profiles.register_in_roster(ctx.session, profiles.get_customer(ctx.session, customer_id))
        return True

    @registry.register("crm.issue_service_plan")
    def issue_service_plan(ctx: HandlerContext, customer_id: int, content: str, service_items: list,
                           visits_per_year: int, budget):
        """⑦ Issue the approved customer service plan (a new revision after improvement)."""
        plan = service_plans.issue_plan(
            ctx.session, ctx.instance_id, profiles.get_customer(ctx.session, customer_id), content=content,
            service_items=", ".join(service_items or []), visits_per_year=visits_per_year or 0,
            budget=Decimal(str(budget or 0)),
        )
        return {"plan_id": plan.id, "revision": plan.revision}

    @registry.register("crm.record_plan_outcome")
    def record_plan_outcome(ctx: HandlerContext, plan_id: int, outcome: str, problems: bool):
        """⑧ How carrying out the plan went."""
        plan = ctx.session.get(service_plans.ServicePlan, plan_id)
        if plan is None:
            raise LookupError(_("There is no service plan %(id)s.", id=plan_id))
        service_plans.record_outcome(ctx.session, plan, outcome or "", bool(problems))
        return plan.status
