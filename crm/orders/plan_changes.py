"""Changes of a payment plan after it was drawn up: a line's amount, lines added and removed — with what finance
expects to hold: a line never asks for less than was paid on it, a paid line stays, and the contract's plans never
ask for more than the contract's amount (:func:`crm.orders.payments.check_contract_cover`, as when a plan is made)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy.orm import Session

from crm import formatting
from crm.money import to_cents
from crm.orders.payments import PaymentError, PaymentPlan, PaymentPlanLine, check_contract_cover
from i18n import _


def set_amount(line: PaymentPlanLine, amount: Decimal) -> None:
    """A new amount for the line (a fixed amount from now on, no longer a percent); at least what is paid on it.
    A line whose new amount is exactly what was paid is settled, one with more open again is not."""
    if amount != to_cents(amount) or amount <= 0:
        raise PaymentError(_("“%(line)s”: the amount must be positive, in whole cents.", line=line.label))
    if amount < line.paid_amount:
        raise PaymentError(_("“%(line)s”: %(paid)s is already paid on it; its amount cannot be less.",
                             line=line.label, paid=formatting.money(line.paid_amount, line.plan.currency)))
    if amount == line.amount:
        return
    line.amount, line.percent = amount, None
    if line.paid_amount == amount:
        line.status, line.settled_on = "settled", max(payment.received_on for payment in line.payments)
    else:
        line.status = "partially_paid" if line.paid_amount else "open"
        line.settled_on = None


def add_line(plan: PaymentPlan, label: str, due_date: dt.date, amount: Decimal) -> PaymentPlanLine:
    """A new instalment of a fixed amount at the end of the plan."""
    if amount != to_cents(amount) or amount <= 0:
        raise PaymentError(_("“%(line)s”: the amount must be positive, in whole cents.", line=label))
    line = PaymentPlanLine(position=max((other.position for other in plan.lines), default=0) + 1, label=label,
                           due_date=due_date, amount=amount)
    plan.lines.append(line)
    return line


def remove_line(plan: PaymentPlan, line: PaymentPlanLine) -> None:
    """Take an instalment out of the plan, one nothing was paid on and no process collects (the lines after it
    move up)."""
    if line.paid_amount:
        raise PaymentError(_("“%(line)s” has payments: it stays in the plan.", line=line.label))
    if line.collection_instance_id:
        raise PaymentError(_("“%(line)s” is collected by process #%(id)s: it stays in the plan.", line=line.label,
                             id=line.collection_instance_id))
    if len(plan.lines) == 1:
        raise PaymentError(_("A payment plan needs at least one line."))
    plan.lines.remove(line)
    for position, other in enumerate(plan.lines, start=1):
        other.position = position


def check_plan(session: Session, plan: PaymentPlan) -> None:
    """After the changes: the contract's plans ask for no more than its amount."""
    session.flush()
    check_contract_cover(session, plan)
