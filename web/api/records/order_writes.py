"""Writes of the order records through the API — products, payments, payment plans, contracts — with the domain
functions the pages and processes use (:mod:`crm.orders`), so the same rules hold whoever writes.

Each function receives the body as a form-like mapping of text and raises :class:`engine.errors.TaskDataInvalid`
(422), :class:`engine.errors.Conflict` (409), :class:`web.api.records.writes.Stale` (412) or
:class:`web.api.records.writes.Existing` (the record the request already made: 200).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from crm import field_checks as check
from crm.orders import catalog, contracts, payments, plan_changes
from crm.orders.contracts import Contract
from crm.orders.errors import OrderError
from crm.orders.payments import LineSpec, Payment, PaymentPlan, PaymentPlanLine
from engine.errors import Conflict
from i18n import _
from services.orders import line_changes, product_form, queries
from services.records.kinds import visible_record
from web import db
from web.accounts.auth import actor
from web.api.records.writes import Existing, invalid, locked

PLAN_LINES_MAX = 24
"""More instalments than this in one plan are refused (monthly over two years)."""


# Products ---------------------------------------------------------------------------------------------------------

def product_fields(product: catalog.Product) -> dict[str, object]:
    return {name: getattr(product, name) for name in ("code", "name", "kind", "unit", "unit_price", "skill",
                                                        "description")}


def create_product(session, form: Mapping[str, str], _me, _scope) -> catalog.Product:
    """A new catalogue entry (kind ``product`` and unit ``pc`` unless sent)."""
    values, errors = product_form.read(session, {"kind": "product", "unit": "pc", **form})
    if errors:
        raise invalid(errors)
    return catalog.add_product(session, values.pop("code"), values.pop("name"), values.pop("unit_price"), **values)


def update_product(session, product: catalog.Product, form: Mapping[str, str], version: int, _me, _scope) -> None:
    values, errors = product_form.read(session, form, product)
    if errors:
        raise invalid(errors)
    locked(session, product, version)
    catalog.edit_product(product, values)


def deactivate_product(_session, product: catalog.Product, _reason: str, _me) -> None:
    """Out of the catalogue: no longer offered on new quotes and orders; kept on the old ones."""
    product.active = False


# Payments ---------------------------------------------------------------------------------------------------------

def record_payment(session, form: Mapping[str, str], me, scope) -> Payment:
    """Money received against a plan line (what an ERP posts): the line's paid and open amounts and status follow,
    ``payment.received`` is sent to the webhooks, and a process collecting the line learns of it. The same
    reference on the same line again answers the payment already recorded instead of counting it twice."""
    errors = check.FieldErrors()
    line_id = check.whole(form, "plan_line_id", errors)
    amount = check.money(form, "amount", errors)
    received_on = check.date(form, "received_on", errors, required=True)
    reference = check.text(form, "reference", errors, max_length=100)
    line = queries.payment_plan_line_by_id(session, line_id)
    if line is None or visible_record(session, "payment-plans", line.plan_id, scope) is None:
        errors.add("plan_line_id", _("Choose a line of a payment plan of your customers."))
    if amount is not None and amount <= 0:
        errors.add("amount", _("Send an amount above 0."))
    if errors:
        raise invalid(errors)
    earlier = payments.payment_by_reference(session, line.id, reference)
    if earlier is not None:
        if (earlier.amount, earlier.received_on) == (amount, received_on):
            raise Existing(earlier)
        raise Conflict(_("Reference %(reference)s is already payment #%(id)s of this line, with another amount or "
                         "date.", reference=reference, id=earlier.id))
    try:
        return line_changes.post_payment(session, db.platform().engine, line.id, amount, received_on,
                                         reference=reference, actor=actor())
    except payments.PaymentError as exc:
        raise invalid({"plan_line_id" if line.status == "settled" else "amount": str(exc)}) from None


# Payment plans ----------------------------------------------------------------------------------------------------

def create_plan(session, form: Mapping, me, scope) -> PaymentPlan:
    """A plan for one of the caller's contracts: each line a label, a due date and a percent or an amount."""
    errors = check.FieldErrors()
    contract_id = check.whole(form, "contract_id", errors)
    contract = visible_record(session, "contracts", contract_id, scope) if contract_id else None
    if contract is None:
        errors.add("contract_id", _("Choose one of your contracts."))
    title = check.text(form, "title", errors, max_length=200)
    specs = _line_specs(form.get("lines") or [], errors)
    if errors:
        raise invalid(errors)
    try:
        return payments.create_plan(session, contract.customer, specs, contract=contract, title=title,
                                    created_by=me.username)
    except OrderError as exc:
        raise invalid({"lines": str(exc)}) from None


def _line_specs(lines, errors: check.FieldErrors) -> list[LineSpec]:
    if not lines:
        errors.add("lines", _("Send at least one line."))
    elif len(lines) > PLAN_LINES_MAX:
        errors.add("lines", _("At most %(most)s lines.", most=PLAN_LINES_MAX))
    specs = []
    for index, line in enumerate(lines[:PLAN_LINES_MAX]):
        found = check.FieldErrors()
        label = check.text(line, "label", found, max_length=200, required=True)
        due = check.date(line, "due_date", found, required=True)
        percent = check.percent(line, "percent", found, decimals=2)
        amount = check.money(line, "amount", found, required=False)
        if (percent is None) == (amount is None) and not found:
            found.add("amount", _("Send either a percent or an amount."))
        for name, message in found.items():
            errors.add(f"lines.{index}.{name}", message)
        if not found:
            specs.append(LineSpec(label, due, percent=percent, amount=amount))
    return specs


def plan_fields(plan: PaymentPlan) -> dict[str, object]:
    return {"title": plan.title}


def update_plan(session, plan: PaymentPlan, form: Mapping, version: int, me, _scope) -> None:
    """The plan's title and its lines: each entry with an ``id`` changes that line (label; due date unless it is
    settled or being collected; amount, never below what is paid on it; ``remove``, only without payments), one
    without adds a line. The contract's plans never ask for more than its amount (as when a plan is made); a process
    collecting a line whose amount changed goes on with the new open amount."""
    errors = check.FieldErrors()
    title = check.text(form, "title", errors, max_length=200, required=True)
    changes = _line_changes(form.get("lines") or [], {line.id: line for line in plan.lines}, errors)
    if errors:
        raise invalid(errors)
    engine = db.platform().engine
    changed = sorted({change.line.id: change.line for change in changes if change.line is not None and (
        change.remove or change.amount not in (None, change.line.amount))}.items())
    collections = [found for _, line in changed if (found := line_changes.lock_collection(session, engine, line))]
    for line_id, _line in changed:
        payments.lock_line(session, line_id)
    locked(session, plan, version)
    for index, change in enumerate(changes):
        try:
            _apply(plan, change)
        except payments.PaymentError as exc:
            errors.add(f"lines.{index}.{'remove' if change.remove else 'amount'}", str(exc))
    if errors:
        raise invalid(errors)
    plan.title = title
    if any(change.line is None or change.amount is not None for change in changes):
        try:
            plan_changes.check_plan(session, plan)
        except payments.PaymentError as exc:
            raise invalid({"lines": str(exc)}) from None
    for collection in collections:
        line_changes.tell_collection(session, engine, collection, actor())


@dataclass(frozen=True)
class _LineChange:
    """One entry of a plan PATCH: an existing ``line`` changed or removed, or (``line`` None) a new one."""

    line: PaymentPlanLine | None
    label: str
    due_date: dt.date | None
    amount: Decimal | None
    remove: bool


def _line_changes(entries, by_id: dict[int, PaymentPlanLine], errors: check.FieldErrors) -> list[_LineChange]:
    if len(entries) > PLAN_LINES_MAX:
        errors.add("lines", _("At most %(most)s lines.", most=PLAN_LINES_MAX))
    changes = []
    for index, entry in enumerate(entries[:PLAN_LINES_MAX]):
        found = check.FieldErrors()
        line_id = check.whole(entry, "id", found)
        target = by_id.get(line_id) if line_id else None
        if line_id and target is None:
            found.add("id", _("Not a line of this plan."))
        new = not line_id and "id" not in found
        label = check.text(entry, "label", found, max_length=200, required=new)
        due = check.date(entry, "due_date", found, required=new)
        amount = check.money(entry, "amount", found, required=new)
        remove = bool(entry.get("remove"))
        if remove and new:
            found.add("remove", _("Name the line to remove by its id."))
        for name, message in found.items():
            errors.add(f"lines.{index}.{name}", message)
        if not found:
            changes.append(_LineChange(target, label, due, amount, remove))
    return changes


def _apply(plan: PaymentPlan, change: _LineChange) -> None:
    target = change.line
    if target is None:
        plan_changes.add_line(plan, change.label, change.due_date, change.amount)
        return
    if change.remove:
        plan_changes.remove_line(plan, target)
        return
    if change.due_date and change.due_date != target.due_date and (
            target.status == "settled" or target.collection_instance_id):
        raise Conflict(_("“%(line)s” is settled or being collected by a process: its due date stays.",
                         line=target.label))
    if change.amount is not None:
        plan_changes.set_amount(target, change.amount)
    target.label, target.due_date = change.label or target.label, change.due_date or target.due_date


# Contracts --------------------------------------------------------------------------------------------------------

def create_contract(session, form: Mapping[str, str], me, scope) -> Contract:
    """A draft from one of the caller's accepted quotes, or from a template for one of their customers."""
    errors = check.FieldErrors()
    quote_id, template_id = check.whole(form, "quote_id", errors), check.whole(form, "template_id", errors)
    terms = _terms(form, errors)
    quote = visible_record(session, "quotes", quote_id, scope) if quote_id else None
    template = queries.contract_template_by_id(session, template_id)
    if quote_id and quote is None:
        errors.add("quote_id", _("Choose one of your quotes."))
    if (template_id and (template is None or not template.active)) or (not quote_id and template is None):
        errors.add("template_id", _("Choose an active contract template (or send a quote_id)."))
    customer = None
    if not quote_id:
        customer = visible_record(session, "customers", check.whole(form, "customer_id", errors) or 0, scope)
        if customer is None:
            errors.add("customer_id", _("Choose one of your customers."))
        if not terms.get("title"):
            errors.add("title", _("Enter the title."))
        if terms.get("amount") is None:
            errors.add("amount", _("Enter an amount."))
    if errors:
        raise invalid(errors)
    try:
        if quote is not None:
            return contracts.from_quote(session, quote, template=template, payment_terms=terms["payment_terms"],
                                        start_date=terms["start_date"], end_date=terms["end_date"])
        return contracts.from_template(session, template, customer, me.user, terms["title"], terms["amount"],
                                       payment_terms=terms["payment_terms"], start_date=terms["start_date"],
                                       end_date=terms["end_date"])
    except OrderError as exc:
        raise invalid({"quote_id" if quote is not None else "amount": str(exc)}) from None


def _terms(form: Mapping[str, str], errors: check.FieldErrors) -> dict:
    return {"title": check.text(form, "title", errors, max_length=200),
            "amount": check.money(form, "amount", errors, required=False),
            "payment_terms": check.text(form, "payment_terms", errors, max_length=2000),
            "start_date": check.date(form, "start_date", errors), "end_date": check.date(form, "end_date", errors)}


def contract_fields(contract: Contract) -> dict[str, object]:
    return {name: getattr(contract, name) for name in ("title", "amount", "payment_terms", "start_date", "end_date")}


def update_contract(session, contract: Contract, form: Mapping[str, str], version: int, _me, _scope) -> None:
    errors = check.FieldErrors()
    values = _terms(form, errors)
    if not values["title"]:
        errors.add("title", _("Enter the title."))
    if values["amount"] is None:
        errors.add("amount", _("Enter an amount."))
    if errors:
        raise invalid(errors)
    locked(session, contract, version)
    try:
        contracts.edit_draft(contract, values)
    except contracts.InApproval as exc:
        raise Conflict(str(exc)) from None
    except OrderError as exc:
        if contract.status != "draft":
            raise Conflict(str(exc)) from None
        raise invalid({"_body": str(exc)}) from None


def terminate_contract(session, contract: Contract, form: Mapping[str, str], version: int, _me) -> None:
    """End an active contract on ``terminated_on`` (409 unless it is active), as the contract page does."""
    errors = check.FieldErrors()
    on = check.date(form, "terminated_on", errors, required=True)
    if errors:
        raise invalid(errors)
    locked(session, contract, version)
    try:
        contracts.terminate(contract, on)
    except OrderError as exc:
        raise Conflict(str(exc)) from None


def cancel_contract(_session, contract: Contract, _reason: str, _me) -> None:
    try:
        contracts.cancel(contract)
    except OrderError as exc:
        raise Conflict(str(exc)) from None
