"""Task context of the order processes: the contract under approval, the payment being collected."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from crm import formatting as fmt
from crm.orders.contracts import Contract
from crm.orders.payments import PaymentPlanLine
from services.context_views import context_view, missing


def contract(session: Session, data: Mapping[str, Any]) -> dict:
    """Amount, tax, terms, dates and lines of the contract, with links to it and its PDF."""
    found = session.get(Contract, data.get("contract_id") or 0)
    if found is None:
        return missing("contract", "contract")
    return context_view(
        "contract", f"Contract {found.number or '#' + str(found.id)} · {found.title}",
        [("Customer", found.customer.company), ("Amount", fmt.money(found.amount)),
         ("Tax", f"{fmt.money(found.tax_amount)} ({fmt.percent(found.tax_percent)})"),
         ("Discount", fmt.percent(found.discount_percent)), ("Payment terms", found.payment_terms),
         ("Term", f"{fmt.date(found.start_date)} to {fmt.date(found.end_date)}"), ("Status", found.status),
         ("Owner", found.owner.display_name if found.owner else None)],
        lines=(("Item", "Quantity", "Unit price", "Amount"),
               [(line.description, fmt.number(line.quantity), fmt.money(line.unit_price), fmt.money(line.amount))
                for line in found.lines]),
        links=[("Open the contract", f"/contracts/{found.id}"),
               ("Contract PDF", f"/contracts/{found.id}/document.pdf")],
    )


def payment(session: Session, data: Mapping[str, Any]) -> dict:
    """The payment plan line being collected: amount, paid, open, due date, contract."""
    line = session.get(PaymentPlanLine, data.get("plan_line_id") or 0)
    if line is None:
        return missing("payment", "payment plan line")
    plan = line.plan
    links = [("Payment plan", f"/payments/plans/{plan.id}")]
    if plan.contract_id:
        links.append(("Contract", f"/contracts/{plan.contract_id}"))
    return context_view(
        "payment", f"{line.label} · due {fmt.date(line.due_date)}",
        [("Customer", plan.customer.company), ("Plan", plan.title),
         ("Amount", fmt.money(line.amount)), ("Paid", fmt.money(line.paid_amount)),
         ("Open", fmt.money(line.open_amount)), ("Due", fmt.date(line.due_date)), ("Status", line.status)],
        lines=(("Received on", "Amount", "Reference"),
               [(fmt.date(p.received_on), fmt.money(p.amount), p.reference) for p in line.payments]),
        links=links,
    )
