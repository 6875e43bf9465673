"""Service-task operations of the sales flowcharts: visits, receptions, bidding and expense reimbursement
(relationship maintenance: handlers/customers.py). Each takes ids from task data and calls a ``crm`` service.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from crm.accounts.users import User
from crm.customers import profiles
from crm.sales import expenses, records, tenders, visits
from engine.services import HandlerContext, HandlerRegistry
from i18n import _


def _user(ctx: HandlerContext, user_id: int | None = None) -> User | None:
    """The user with ``user_id``, or the one who triggered this step."""
    if user_id:
        return ctx.session.get(User, user_id)
    return ctx.session.scalar(select(User).where(User.username == ctx.actor))


def _money(value) -> Decimal:
    return Decimal(str(value or 0))


def register(registry: HandlerRegistry) -> None:
    _register_visits(registry)
    _register_tenders(registry)
    _register_expenses(registry)


def _register_visits(registry: HandlerRegistry) -> None:
    @registry.register("crm.save_visit_application")
    def save_visit_application(ctx: HandlerContext, customer_id: int, contact_id: int | None, purpose: str,
                               planned_date: dt.date | None, objectives: str, budget):
        """② Record the visit application (updated when it is revised)."""
        customer = profiles.get_customer(ctx.session, customer_id)
        visit = visits.save_visit_application(
            ctx.session, ctx.instance_id, customer, _user(ctx), contact_id=contact_id, purpose=purpose or "",
            planned_date=planned_date, objectives=objectives or "", budget=_money(budget),
        )
        return {"visit_id": visit.id, "customer_grade": customer.grade, "visitor_id": visit.visitor_id}

    @registry.register("crm.save_reception_application")
    def save_reception_application(ctx: HandlerContext, customer_id: int, purpose: str, guests: str,
                                   guest_count: int, arrival_date: dt.date | None, budget, arrangements: str):
        """② Record the reception application (updated when it is revised)."""
        customer = profiles.get_customer(ctx.session, customer_id)
        reception = visits.save_reception_application(
            ctx.session, ctx.instance_id, customer, _user(ctx), purpose=purpose or "", guests=guests or "",
            guest_count=guest_count or 1, arrival_date=arrival_date, budget=_money(budget),
            arrangements=arrangements or "",
        )
        return {"reception_id": reception.id, "customer_grade": customer.grade, "host_id": reception.host_id}

    @registry.register("crm.record_approval")
    def record_approval(ctx: HandlerContext, kind: str, record_id: int, approved: bool, level: str):
        """The application was approved or rejected at ``level`` (who had the authority)."""
        record = records.set_status(ctx.session, kind, record_id, "approved" if approved else "rejected")
        record.approval_level = level or ""
        return record.status

    @registry.register("crm.set_status")
    def set_status(ctx: HandlerContext, kind: str, record_id: int, status: str):
        """Move a visit, reception or tender to ``status``."""
        return records.set_status(ctx.session, kind, record_id, status).status

    @registry.register("crm.record_advance")
    def record_advance(ctx: HandlerContext, kind: str, record_id: int, amount):
        """③ Finance paid the advance (or, for a tender, the bid bond)."""
        records.record_advance(ctx.session, kind, record_id, _money(amount))
        return str(_money(amount))

    @registry.register("crm.record_visit_outcome")
    def record_visit_outcome(ctx: HandlerContext, visit_id: int, visited_on: dt.date, needs: str, objections: str,
                             gifts: str, gift_value):
        """④–⑦ Log the visit: needs learnt, objections handled, gifts given."""
        visit = records.get_record(ctx.session, "visit", visit_id)
        activity = visits.record_visit_outcome(ctx.session, visit, visited_on=visited_on, needs=needs or "",
                                               objections=objections or "", gifts=gifts or "",
                                               gift_value=_money(gift_value))
        return activity.id

    @registry.register("crm.plan_next_visit")
    def plan_next_visit(ctx: HandlerContext, visit_id: int, next_visit_date: dt.date | None, next_visit_plan: str):
        """⑧ Put the agreed next visit on the visitor's plan."""
        activity = visits.plan_next_visit(ctx.session, records.get_record(ctx.session, "visit", visit_id),
                                          next_visit_date, next_visit_plan or "")
        return activity.id if activity else None

    @registry.register("crm.record_reception_held")
    def record_reception_held(ctx: HandlerContext, reception_id: int, notes: str):
        """④–⑦ The guests were greeted, hosted and seen off."""
        reception = records.get_record(ctx.session, "reception", reception_id)
        return visits.record_reception_held(ctx.session, reception, notes or "").id

    @registry.register("crm.file_report")
    def file_report(ctx: HandlerContext, kind: str, record_id: int, report: str):
        """⑨ Keep the visit or reception report with its record."""
        record = records.set_status(ctx.session, kind, record_id, "reported")
        record.report = report or ""
        return record.status


def _register_tenders(registry: HandlerRegistry) -> None:
    def tender(ctx: HandlerContext, tender_id: int) -> tenders.Tender:
        return records.get_record(ctx.session, "tender", tender_id)

    @registry.register("crm.register_tender")
    def register_tender(ctx: HandlerContext, customer_id: int, project: str, deadline: dt.datetime | None,
                        estimated_value, documents: str):
        """1 Register the tender and its opportunity."""
        customer = profiles.get_customer(ctx.session, customer_id)
        found = tenders.register_tender(
            ctx.session, ctx.instance_id, customer, customer.owner or _user(ctx), project=project,
            deadline=deadline, estimated_value=_money(estimated_value), documents=documents or "", by=ctx.actor,
        )
        return {"tender_id": found.id, "opportunity_id": found.opportunity_id}

    @registry.register("crm.decide_bid")
    def decide_bid(ctx: HandlerContext, tender_id: int, bid: bool):
        """2 Bid or no bid, as approved."""
        tenders.decide_bid(ctx.session, tender(ctx, tender_id), bool(bid), ctx.actor)
        return "bid" if bid else "no_bid"

    @registry.register("crm.bid_reminder")
    def bid_reminder(ctx: HandlerContext, tender_id: int):
        """5 The deadline is near: remind the bid manager."""
        return tenders.remind_bid(ctx.session, tender(ctx, tender_id)).id

    @registry.register("crm.submit_bid")
    def submit_bid(ctx: HandlerContext, tender_id: int, price):
        """5 The bid was submitted at the approved price."""
        tenders.submit_bid(ctx.session, tender(ctx, tender_id), _money(price))
        return "submitted"

    @registry.register("crm.record_bid_result")
    def record_bid_result(ctx: HandlerContext, tender_id: int, won: bool, note: str, loss_reason: str):
        """6 Bid opening: won or lost (with the loss analysis)."""
        tenders.record_bid_result(ctx.session, tender(ctx, tender_id), bool(won), note or "", loss_reason or "",
                                  ctx.actor)
        return "won" if won else "lost"

    @registry.register("crm.recover_bid_bond")
    def recover_bid_bond(ctx: HandlerContext, tender_id: int):
        """7 Finance recovered the bid bond."""
        tenders.recover_bond(ctx.session, tender(ctx, tender_id))
        return "recovered"


def _register_expenses(registry: HandlerRegistry) -> None:
    def claim(ctx: HandlerContext, claim_id: int) -> expenses.ExpenseClaim:
        found = ctx.session.get(expenses.ExpenseClaim, claim_id)
        if found is None:
            raise LookupError(_("There is no expense claim %(id)s.", id=claim_id))
        return found

    @registry.register("crm.create_expense_claim")
    def create_expense_claim(ctx: HandlerContext, customer_id: int | None, claimant_id: int | None, subject: str,
                             subject_id: int | None, advance, costs: dict):
        """Submit the claim: one line per expense category with a cost."""
        created = expenses.create_claim(
            ctx.session, claimant=_user(ctx, claimant_id), customer_id=customer_id, subject=subject,
            subject_id=subject_id, advance=_money(advance),
            costs={k: _money(v) for k, v in (costs or {}).items()}, instance_id=ctx.instance_id,
        )
        return {"claim_id": created.id, "total": str(created.total), "advance": str(created.advance)}

    @registry.register("crm.review_expense_claim")
    def review_expense_claim(ctx: HandlerContext, claim_id: int, approved: bool, approved_amount):
        """Reviewed: approved (possibly cut) or rejected."""
        amount = _money(approved_amount) if approved_amount is not None else None
        reviewed = expenses.review_claim(ctx.session, claim(ctx, claim_id), bool(approved), amount)
        return {"status": reviewed.status, "balance": str(reviewed.balance)}

    @registry.register("crm.settle_expense_claim")
    def settle_expense_claim(ctx: HandlerContext, claim_id: int, paid_on: dt.date, reference: str):
        """Finance paid the balance (or collected the unspent advance)."""
        settled = expenses.settle_claim(ctx.session, claim(ctx, claim_id), paid_on, reference or "")
        return {"status": settled.status, "balance": str(settled.balance)}
