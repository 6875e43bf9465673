"""Task context of the order processes: the contract under approval, the payment being collected."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session, joinedload

from crm import formatting as fmt
from crm.accounts.users import User
from crm.orders.contracts import Contract
from crm.orders.labels import status_label
from crm.orders.payments import PaymentPlan, PaymentPlanLine
from i18n import _, pgettext
from services.context_views import context_view, missing


def contract(session: Session, data: Mapping[str, Any]) -> dict:
    """Amount, tax, terms, dates and lines of the contract, with links to it and its PDF."""
    found = session.get(Contract, data.get("contract_id") or 0, options=[
        joinedload(Contract.customer), joinedload(Contract.owner).lazyload(User.roles), joinedload(Contract.lines)])
    if found is None:
        return missing("contract", _("contract"))
    currency, number = found.currency, found.number or "#" + str(found.id)
    return context_view(
        "contract", _("Contract %(number)s · %(title)s", number=number, title=found.title),
        [(_("Customer"), found.customer.company), (_("Amount"), fmt.money(found.amount, currency)),
         (_("Tax"), f"{fmt.money(found.tax_amount, currency)} ({fmt.percent(found.tax_percent)})"),
         (_("Discount"), fmt.percent(found.discount_percent)), (_("Payment terms"), found.payment_terms),
         (_("Term"), _("%(start)s to %(end)s", start=fmt.date(found.start_date), end=fmt.date(found.end_date))),
         (_("Status"), status_label(found.status)),
         (_("Owner"), found.owner.display_name if found.owner else None)],
        lines=((_("Item"), _("Quantity"), _("Unit price"), _("Amount")),
               [(line.description, fmt.number(line.quantity), fmt.money(line.unit_price, currency),
                 fmt.money(line.amount, currency)) for line in found.lines]),
        links=[(_("Open the contract"), f"/contracts/{found.id}"),
               (_("Contract PDF"), f"/contracts/{found.id}/document.pdf")],
    )


def payment(session: Session, data: Mapping[str, Any]) -> dict:
    """The payment plan line being collected: amount, paid, open, due date, contract."""
    line = session.get(PaymentPlanLine, data.get("plan_line_id") or 0, options=[
        joinedload(PaymentPlanLine.plan).joinedload(PaymentPlan.customer), joinedload(PaymentPlanLine.payments)])
    if line is None:
        return missing("payment", _("payment plan line"))
    plan = line.plan
    currency = plan.currency
    links = [(_("Payment plan"), f"/payments/plans/{plan.id}")]
    if plan.contract_id:
        links.append((_("Contract"), f"/contracts/{plan.contract_id}"))
    return context_view(
        "payment", _("%(line)s · due %(date)s", line=line.label, date=fmt.date(line.due_date)),
        [(_("Customer"), plan.customer.company), (_("Plan"), plan.title),
         (_("Amount"), fmt.money(line.amount, currency)), (_("Paid"), fmt.money(line.paid_amount, currency)),
         (pgettext("amount", "Open"), fmt.money(line.open_amount, currency)), (_("Due"), fmt.date(line.due_date)),
         (_("Status"), status_label(line.status))],
        lines=((_("Received on"), _("Amount"), _("Reference")),
               [(fmt.date(p.received_on), fmt.money(p.amount, currency), p.reference) for p in line.payments]),
        links=links,
    )
