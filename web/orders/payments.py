"""Payment plans, payments made from plan lines, and receivables with ageing buckets."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required

from crm.orders import payments, receivables, reminders
from crm.orders.payments import LineSpec, PaymentPlan, PaymentPlanLine
from engine.errors import Conflict
from i18n import _, ngettext, zones
from services.orders import line_changes, queries
from services.orders.process_starts import start_collection
from web import db
from web.accounts.auth import actor, require_role
from web.idempotency import idempotent
from web.input import FINANCE_ROLES, SALES_ROLES, date_field, decimal_field, refusals, require_visible, visible

bp = Blueprint("payments", __name__, url_prefix="/payments")
PLAN_ROWS = 4
"""Line rows offered when a plan is drawn up (the contract page shows them)."""


@bp.before_request
@login_required
def order_roles_only():
    require_role(*SALES_ROLES, *FINANCE_ROLES)


def _plan(plan_id: int) -> PaymentPlan:
    plan = queries.payment_plan_by_id(db.session(), plan_id) or abort(404)
    require_visible(plan.customer.owner_id)
    return plan


@bp.post("/contracts/<int:contract_id>/plans")
def create_plan(contract_id: int):
    """Draw up a plan for a contract: each row has a label, a due date and a percent or an amount."""
    contract = queries.contract_by_id(db.session(), contract_id) or abort(404)
    require_visible(contract.owner_id)
    with refusals():
        specs = []
        for row in range(1, PLAN_ROWS + 1):
            label = request.form.get(f"label_{row}", "").strip()
            if not label:
                continue
            has_percent = bool(request.form.get(f"percent_{row}", "").strip())
            percent = decimal_field(f"percent_{row}", PaymentPlanLine.percent) if has_percent else None
            amount = None if has_percent else decimal_field(f"amount_{row}", PaymentPlanLine.amount)
            specs.append(LineSpec(label, date_field(f"due_date_{row}"), percent=percent, amount=amount))
        plan = payments.create_plan(db.session(), contract.customer, specs, contract=contract,
                                    created_by=actor().username)
        db.commit()
        flash(ngettext("Payment plan with %(num)d line created.", "Payment plan with %(num)d lines created.",
                       len(plan.lines)), "success")
        return redirect(url_for(".plan", plan_id=plan.id))
    return redirect(url_for("contracts.show", contract_id=contract_id))


@bp.get("/plans/<int:plan_id>")
def plan(plan_id: int):
    found = _plan(plan_id)
    line_ids = [line.id for line in found.lines]
    instance_ids = [line.collection_instance_id for line in found.lines if line.collection_instance_id]
    return render_template("orders/plan.html", plan=found, today=zones.site_today(),
                           tasks=queries.ready_collection_tasks(db.session(), instance_ids),
                           reminders=reminders.for_plan_lines(db.session(), line_ids))


@bp.post("/plans/<int:plan_id>/collect")
@idempotent
def collect(plan_id: int):
    """Start one payment collection process per open line."""
    require_role("finance", "administrator")
    found = _plan(plan_id)
    with refusals():
        started = start_collection(db.session(), db.platform().engine, found.id, actor())
        db.commit()
        flash(ngettext("Collection started for %(num)d line.", "Collection started for %(num)d lines.", len(started)),
              "success")
    return redirect(url_for(".plan", plan_id=plan_id))


@bp.post("/lines/<int:line_id>/payments")
def record_payment(line_id: int):
    """A payment made from the plan line; a process collecting the line learns of it (through its task)."""
    require_role("finance", "administrator")
    line = queries.payment_plan_line_by_id(db.session(), line_id) or abort(404)
    plan_id = line.plan_id
    with refusals():
        amount = decimal_field("amount", payments.Payment.amount)
        try:
            line_changes.post_payment(db.session(), db.platform().engine, line.id, amount, date_field("received_on"),
                                      reference=request.form.get("reference", ""), actor=actor())
        except Conflict as exc:
            db.session().rollback()
            flash(str(exc), "warning")
            return redirect(url_for(".plan", plan_id=plan_id))
        db.commit()
        flash(_("Payment recorded."), "success")
    return redirect(url_for(".plan", plan_id=plan_id))


@bp.get("/receivables")
def receivables_page():
    """What customers owe, by ageing bucket, and every open line."""
    require_role(*FINANCE_ROLES, "salesperson")
    today = zones.site_today()
    lines = [line for line in receivables.open_lines(db.session()) if visible(line.plan.customer.owner_id)]
    rows = receivables.ageing(db.session(), today, lines=lines)
    return render_template("orders/receivables.html", rows=rows, totals=receivables.totals(rows),
                           buckets=receivables.BUCKETS, lines=lines, today=today)
