"""Service-task operations of service request handling (thin: the work is in crm/)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from crm.accounts.users import User
from crm.service import engineers, service_desk, settlements
from crm.service.labels import label
from engine.services import HandlerContext, HandlerRegistry
from i18n import _, zones
from services.service import policies


def _request(ctx: HandlerContext, request_id) -> service_desk.ServiceRequest:
    return service_desk.get_request(ctx.session, int(request_id))


def _order(ctx: HandlerContext, order_id) -> service_desk.ServiceOrder:
    return service_desk.get_order(ctx.session, int(order_id))


def _slot(starts_at: dt.datetime, hours) -> tuple[dt.datetime, dt.datetime]:
    return starts_at, starts_at + dt.timedelta(hours=float(hours))


def _grade_discount(ctx: HandlerContext, order: service_desk.ServiceOrder, grade_discount=None,
                    ) -> tuple[Decimal, int | None]:
    """The discount an order's customer gets (grade plus goodwill) and the grade terms table version it is from.

    ``grade_discount`` is what the instance's own grade terms table gave; versions deployed before that table
    pass none and take the newest table's (no grade discount while none is deployed)."""
    goodwill = order.follow_up.goodwill_percent if order.follow_up else Decimal(0)
    if grade_discount is not None:
        return (settlements.customer_discount(Decimal(str(grade_discount)), goodwill),
                policies.instance_grade_version(ctx.session, ctx.instance_id))
    terms = policies.grade_terms(ctx.session, order.customer.grade)
    return (settlements.customer_discount(terms.discount_percent if terms else Decimal(0), goodwill),
            terms.version if terms else None)


def register(registry: HandlerRegistry) -> None:
    @registry.register("service.register_request")
    def register_request(ctx: HandlerContext, customer_id, channel: str, request_type: str, product_code,
                         description: str):
        """Record the incoming request, linked to this instance."""
        request = service_desk.register_request(
            ctx.session, int(customer_id), channel, request_type, description, product_code=product_code or "",
            created_by=ctx.actor, instance_id=ctx.instance_id,
        )
        return {"id": request.id, "number": request.number}

    @registry.register("service.classify")
    def classify(ctx: HandlerContext, request_id, request_type: str, urgency: str, handling: str):
        """Store type, urgency grade and the chosen handling."""
        service_desk.classify(_request(ctx, request_id), request_type, urgency, handling)
        return handling

    @registry.register("service.record_complaint")
    def record_complaint(ctx: HandlerContext, request_id, cause: str, action: str):
        """What caused the complaint and what was done."""
        service_desk.record_complaint(_request(ctx, request_id), cause, action)
        return cause

    @registry.register("service.close_request")
    def close_request(ctx: HandlerContext, request_id, status: str, resolution):
        """Close the request as resolved, closed or cancelled."""
        service_desk.close(_request(ctx, request_id), status, resolution or "")
        return status

    @registry.register("service.create_order")
    def create_order(ctx: HandlerContext, request_id, items: list[str], free_service: bool, required_skill: str,
                     planned_hours: Decimal, scheduled_start: dt.datetime):
        """A service order with its items and fee quote (labour at the service policy table's standard rate)."""
        order = service_desk.create_order(
            ctx.session, _request(ctx, request_id), list(items), free_service=bool(free_service),
            required_skill=required_skill, planned_hours=Decimal(planned_hours), scheduled_start=scheduled_start,
            labour_rate=policies.current_policy(ctx.session, "standard").labour_rate, instance_id=ctx.instance_id,
        )
        return {"id": order.id, "number": order.number, "fee_quote": str(order.fee_quote),
                "customer_grade": order.customer.grade or ""}

    @registry.register("service.record_confirmation")
    def record_confirmation(ctx: HandlerContext, order_id, confirmed: bool):
        """The customer's yes or no to items, time and fee quote."""
        order = _order(ctx, order_id)
        service_desk.record_confirmation(order, bool(confirmed))
        return order.status

    @registry.register("service.suggest_engineers")
    def suggest_engineers(ctx: HandlerContext, order_id, starts_at: dt.datetime, hours):
        """Free engineers with the order's skill, least loaded first; the first one is proposed."""
        order = _order(ctx, order_id)
        found = engineers.suggest(ctx.session, order.required_skill, *_slot(starts_at, hours))
        lines = [s.label for s in found] or [
            _("Nobody with the skill %(skill)s is free then.", skill=label("skill", order.required_skill))]
        return {"engineer": found[0].engineer.user_id if found else None, "suggestions": "\n".join(lines)}

    @registry.register("service.book_engineer")
    def book_engineer(ctx: HandlerContext, order_id, engineer, starts_at: dt.datetime, hours):
        """Book the chosen engineer (a user id); returns "" when booked, else why it was refused."""
        order = _order(ctx, order_id)
        profile = engineers.engineer_for_user(ctx.session, int(engineer))
        if profile is None:
            user = ctx.session.get(User, int(engineer))
            return _("%(name)s has no engineer profile.", name=user.display_name if user else engineer)
        try:
            engineers.book(ctx.session, profile.id, *_slot(starts_at, hours), order_id=order.id,
                           note=f"{order.number}: {order.request.description[:80]}", created_by=ctx.actor)
        except engineers.BookingRefused as exc:
            return str(exc)
        service_desk.mark_scheduled(order, starts_at)
        return ""

    @registry.register("service.record_work")
    def record_work(ctx: HandlerContext, order_id, labour_hours, materials_cost, materials_note, work_report: str):
        """Hours, materials and the engineer's report."""
        service_desk.record_work(_order(ctx, order_id), Decimal(labour_hours), Decimal(materials_cost or 0),
                                 materials_note or "", work_report)
        return "done"

    @registry.register("service.record_follow_up")
    def record_follow_up(ctx: HandlerContext, order_id, attitude, quality, complaint: bool, comment):
        """Satisfaction with attitude and quality; whether the customer complained."""
        follow_up = service_desk.record_follow_up(ctx.session, _order(ctx, order_id), int(attitude), int(quality),
                                                  bool(complaint), comment or "", ctx.actor)
        return follow_up.id

    @registry.register("service.resolve_complaint")
    def resolve_complaint(ctx: HandlerContext, order_id, action: str, goodwill_percent):
        """How the follow-up complaint was resolved, with any goodwill discount."""
        order = _order(ctx, order_id)
        service_desk.resolve_follow_up_complaint(order.follow_up, action, Decimal(goodwill_percent or 0))
        return str(order.follow_up.goodwill_percent)

    @registry.register("service.discount")
    def discount(ctx: HandlerContext, order_id, grade_discount=None):
        """The customer's discount percent: the grade's (``grade_discount``, from the instance's grade terms
        table), plus goodwill granted on a complaint."""
        return str(_grade_discount(ctx, _order(ctx, order_id), grade_discount)[0])

    @registry.register("service.settle")
    def settle(ctx: HandlerContext, order_id, policy: str, discount_percent, labour_rate=None, labour_share=None,
               materials_share=None, items_share=None, grade_discount=None):
        """Settle the fees under the figures the instance's service policy table gave, post them to finance.

        Versions deployed before the policy table pass no figures: they settle under the newest table."""
        order = _order(ctx, order_id)
        if labour_rate is None:
            rules = policies.current_policy(ctx.session, policy)
        else:
            rules = policies.instance_policy(ctx.session, ctx.instance_id, {
                "labour_rate": labour_rate, "labour_share": labour_share, "materials_share": materials_share,
                "items_share": items_share})
        grade_discount, grade_version = _grade_discount(ctx, order, grade_discount)
        settlement, plan = settlements.settle(
            ctx.session, order, policy, rules, Decimal(discount_percent), settled_by=ctx.actor,
            today=zones.site_today(), instance_id=ctx.instance_id,
            discount_version=grade_version if Decimal(discount_percent) == grade_discount else None,
        )
        return {"settlement_id": settlement.id, "amount": str(settlement.amount),
                "receivable_plan_id": plan.id if plan else None}
