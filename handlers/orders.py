"""Service-task operations of contract approval and payment collection (thin: the work is in crm/)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import i18n
from crm import formatting
from crm.accounts.users import ROLE_LABELS
from crm.base import utcnow
from crm.orders import contracts, payments, reminders
from engine.services import HandlerContext, HandlerRegistry
from handlers.notifications import text_message
from i18n import _, _l, zones

_APPROVAL_TEXTS = {
    "approval_request": _l("Contract %(number)s (%(company)s, %(amount)s) awaits your approval."),
    "approval_reminder": _l("Reminder: contract %(number)s (%(company)s, %(amount)s) still awaits your approval."),
}
"""Texts are written per recipient, in their language (see :class:`services.notifications.notifier.Notifier`);
the copy kept on the contract is in the site's."""
REMINDER_TIME = dt.time(9, 0)
"""Payment reminders and overdue escalations fire at this time of day in the site's zone (``CRM_TIMEZONE``)."""


def _contract(ctx: HandlerContext, contract_id) -> contracts.Contract:
    return contracts.lock(ctx.session, int(contract_id))


def _kept_copy(ctx: HandlerContext, text: Callable[[], str]) -> str:
    """The copy of a text kept on the record: in the site's language (the notifier knows it)."""
    notifier = ctx.services.get("notifier")
    with i18n.force_locale(getattr(notifier, "site_language", "")):
        return text()


def _owner(contract: contracts.Contract | None) -> list[str]:
    return [contract.owner.username] if contract is not None and contract.owner is not None else []


def reminder_moment(day: dt.date) -> str:
    """``day`` at :data:`REMINDER_TIME` in the site's zone as an ISO datetime with its offset, for a timeDate
    timer (``2026-12-05T09:00:00+08:00``)."""
    return dt.datetime.combine(day, REMINDER_TIME, zones.site_zone()).isoformat()


def register(registry: HandlerRegistry) -> None:
    @registry.register("orders.submit_contract")
    def submit_contract(ctx: HandlerContext, contract_id):
        """Put a draft contract into approval, linked to this instance; returns what routing needs."""
        contract = _contract(ctx, contract_id)
        contracts.submit(contract, ctx.instance_id)
        return {"id": contract.id, "number": contract.number, "amount": str(contract.amount),
                "customer_id": contract.customer_id, "customer_grade": contract.customer.grade,
                "company": contract.customer.company}

    @registry.register("orders.set_approval_route")
    def set_approval_route(ctx: HandlerContext, contract_id, route: str):
        """Show the approval route the decision table chose on the contract."""
        _contract(ctx, contract_id).approval_route = route
        return route

    @registry.register("orders.sms_approver")
    def sms_approver(ctx: HandlerContext, contract_id, role: str, kind: str):
        """Text the approvers holding ``role``; the reminder is kept on the contract either way."""
        contract = _contract(ctx, contract_id)
        def text() -> str:
            return str(_APPROVAL_TEXTS[kind]) % {"number": contract.number, "company": contract.customer.company,
                                                 "amount": formatting.money(contract.amount, contract.currency)}

        names, sent = text_message(ctx, [f"role:{role}"], lambda: _("Contract %(number)s", number=contract.number),
                                   text, f"/contracts/{contract.id}")
        reminders.record(ctx.session, kind, _kept_copy(ctx, text), names, sent=sent, contract_id=contract.id,
                         instance_id=ctx.instance_id)
        return {"recipients": names, "sent": sent}

    @registry.register("orders.escalate_approval")
    def escalate_approval(ctx: HandlerContext, contract_id, from_role: str, to_role: str):
        """The approval waited too long: record the escalation and tell the approvers who missed it."""
        contract = _contract(ctx, contract_id)
        contract.escalated_at = utcnow()
        def text() -> str:
            return _("Contract %(number)s waited too long for approval and was escalated to the %(role)s.",
                     number=contract.number, role=str(ROLE_LABELS.get(to_role, to_role)))

        names, sent = text_message(ctx, [f"role:{from_role}"],
                                   lambda: _("Contract %(number)s escalated", number=contract.number), text)
        reminders.record(ctx.session, "escalation", _kept_copy(ctx, text), names, sent=sent, contract_id=contract.id,
                         instance_id=ctx.instance_id)
        return {"escalated_to": to_role}

    @registry.register("orders.activate_contract")
    def activate_contract(ctx: HandlerContext, contract_id, company_signed_on: dt.date, customer_signed_on: dt.date):
        """Approved and signed: the contract is active."""
        contract = _contract(ctx, contract_id)
        contracts.approve(contract, company_signed_on, customer_signed_on)
        return contract.status

    @registry.register("orders.reject_contract")
    def reject_contract(ctx: HandlerContext, contract_id, reason: str):
        """Back to draft with the reason; the owner is told."""
        contract = _contract(ctx, contract_id)
        contracts.reject(contract, reason)
        if _owner(contract):
            text_message(ctx, _owner(contract), lambda: _("Contract %(number)s rejected", number=contract.number),
                         reason, f"/contracts/{contract.id}")
        return contract.status

    @registry.register("orders.start_collection")
    def start_collection(ctx: HandlerContext, plan_line_id, remind_days_before):
        """Link a plan line to this collection instance; returns its amounts and reminder times."""
        line = payments.lock_line(ctx.session, int(plan_line_id))
        if line.status == "settled":
            raise payments.PaymentError(_("“%(line)s” is already settled", line=line.label))
        if line.collection_instance_id not in (None, ctx.instance_id):
            raise payments.PaymentError(_("“%(line)s” is collected by process #%(id)s", line=line.label,
                                          id=line.collection_instance_id))
        line.collection_instance_id = ctx.instance_id
        contract = line.plan.contract
        return {
            "customer_id": line.plan.customer_id, "label": line.label, "amount": str(line.amount),
            "open_amount": str(line.open_amount), "due_date": line.due_date.isoformat(),
            "reminder_at": reminder_moment(line.due_date - dt.timedelta(days=int(remind_days_before))),
            "overdue_at": reminder_moment(line.due_date + dt.timedelta(days=1)),
            "contract_number": contract.number if contract else "",
        }

    @registry.register("orders.payment_reminder")
    def payment_reminder(ctx: HandlerContext, plan_line_id, kind: str):
        """Remind finance and the contract owner before the due date, or escalate once it is overdue."""
        line = payments.lock_line(ctx.session, int(plan_line_id))
        owner = _owner(line.plan.contract)
        if kind == "payment_due":
            line.reminded_at = utcnow()
            to = ["role:finance", *owner]
            message = _l("“%(line)s” (%(amount)s) is due on %(date)s.")
        else:
            line.escalated_at = utcnow()
            to = [*owner, "role:customer_director"]
            message = _l("“%(line)s” is overdue since %(date)s: %(amount)s still open.")
        def text() -> str:
            return str(message) % {"line": line.label, "date": formatting.date(line.due_date),
                                   "amount": formatting.money(line.open_amount, line.plan.currency)}

        names, sent = text_message(ctx, to, lambda: _("Payment %(customer)s", customer=line.plan.customer.company),
                                   text, f"/payments/plans/{line.plan_id}")
        reminders.record(ctx.session, kind, _kept_copy(ctx, text), names, sent=sent, plan_line_id=line.id,
                         instance_id=ctx.instance_id)
        return {"recipients": names, "sent": sent}

    @registry.register("orders.record_payment")
    def record_payment(ctx: HandlerContext, plan_line_id, amount: Decimal, received_on: dt.date, reference: str):
        """A payment made from the plan line (partial allowed); says what is still open, or why it was refused."""
        try:
            payment = payments.record_payment(ctx.session, int(plan_line_id), Decimal(amount), received_on,
                                              reference=reference or "", recorded_by=ctx.actor,
                                              instance_id=ctx.instance_id)
        except payments.PaymentError as exc:
            line = payments.lock_line(ctx.session, int(plan_line_id))
            return {"payment_id": None, "open_amount": str(line.open_amount), "settled": False, "refused": str(exc)}
        line = payment.line
        return {"payment_id": payment.id, "open_amount": str(line.open_amount), "settled": line.status == "settled",
                "refused": ""}

    @registry.register("orders.read_collection_line")
    def read_collection_line(ctx: HandlerContext, plan_line_id):
        """The line as it now stands, after a payment or an amount change made outside this process: what is
        open and whether it is settled (the shape :func:`record_payment` answers)."""
        line = payments.lock_line(ctx.session, int(plan_line_id))
        return {"payment_id": None, "open_amount": str(line.open_amount), "settled": line.status == "settled",
                "refused": ""}
