"""Task context of the sales processes: visits, receptions, tenders, opportunities and expense claims."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from crm import formatting as fmt
from crm.customers.models import Contact, Customer
from crm.sales.expenses import ExpenseClaim
from crm.sales.opportunities import Opportunity
from crm.sales.tenders import Tender
from crm.sales.visits import Reception, Visit
from services.context_views import context_view
from services.customers.task_context import contact_lines, customer_facts


def visit(session: Session, data: Mapping[str, Any]) -> dict:
    """The visit application (once saved) or the requested visit: customer, contact, date, budget, advance."""
    found = session.get(Visit, data.get("visit_id") or 0)
    customer = found.customer if found else session.get(Customer, data.get("customer_id") or 0)
    contact = session.get(Contact, (found.contact_id if found else data.get("contact_id")) or 0)
    facts: list[tuple[str, Any]] = [
        ("Customer", customer.company if customer else None),
        ("Contact", f"{contact.name} · {contact.mobile or contact.phone}" if contact else None),
        ("Purpose", found.purpose if found else data.get("purpose"))]
    if found:
        facts += [("Planned date", fmt.date(found.planned_date)), ("Objectives", found.objectives),
                  ("Approved budget", fmt.money(found.budget)), ("Approval level", found.approval_level),
                  ("Advance paid", fmt.money(found.advance_paid)), ("Status", found.status),
                  ("Visitor", found.visitor.display_name if found.visitor else None)]
    links = [("Customer", f"/customers/{customer.id}")] if customer else []
    return context_view("visit", f"Visit to {customer.company if customer else '—'}", facts,
                        lines=contact_lines(customer) if customer else None, links=links)


def reception(session: Session, data: Mapping[str, Any]) -> dict:
    """The reception: customer, guests, arrival, budget, arrangements and advance."""
    found = session.get(Reception, data.get("reception_id") or 0)
    customer = found.customer if found else session.get(Customer, data.get("customer_id") or 0)
    facts: list[tuple[str, Any]] = [("Customer", customer.company if customer else None)]
    if found:
        facts += [("Purpose", found.purpose), ("Arrival", fmt.date(found.arrival_date)),
                  ("Guests", f"{found.guest_count}: {found.guests}"), ("Approved budget", fmt.money(found.budget)),
                  ("Arrangements", found.arrangements), ("Advance paid", fmt.money(found.advance_paid)),
                  ("Status", found.status), ("Host", found.host.display_name if found.host else None)]
    else:
        facts += [("Purpose", data.get("purpose")), ("Arrival", fmt.date(data.get("arrival_date"))),
                  ("Guests", data.get("guests"))]
    links = [("Customer", f"/customers/{customer.id}")] if customer else []
    return context_view("reception", f"Reception of {customer.company if customer else '—'}", facts, links=links)


def tender(session: Session, data: Mapping[str, Any]) -> dict:
    """The tender: project, deadline, estimated value, bond, bid price and status."""
    found = session.get(Tender, data.get("tender_id") or 0)
    if found is None:
        customer = session.get(Customer, data.get("customer_id") or 0)
        return context_view("tender", f"Tender: {data.get('project') or '—'}", [
            ("Customer", customer.company if customer else None), ("Deadline", fmt.datetime(data.get("deadline"))),
            ("Estimated value", fmt.money(data.get("estimated_value")))])
    links = [("Customer", f"/customers/{found.customer_id}")]
    if found.opportunity_id:
        links.append(("Opportunity", f"/opportunities/{found.opportunity_id}"))
    return context_view("tender", f"Tender: {found.project}", [
        ("Customer", found.customer.company), ("Deadline", fmt.datetime(found.deadline)),
        ("Estimated value", fmt.money(found.estimated_value)), ("Bid bond", fmt.money(found.bid_bond)),
        ("Bond status", found.bond_status), ("Bid price", fmt.money(found.bid_price)),
        ("Status", found.status), ("Documents", found.documents),
        ("Bid manager", found.owner.display_name if found.owner else None)], links=links)


def opportunity(session: Session, data: Mapping[str, Any]) -> dict:
    """The opportunity: stage, amount, expected close and owner."""
    found = session.get(Opportunity, data.get("opportunity_id") or 0)
    if found is None:
        return context_view("opportunity", "No opportunity recorded yet", [])
    return context_view("opportunity", found.name, [
        ("Customer", found.customer.company), ("Stage", found.stage), ("Amount", fmt.money(found.amount)),
        ("Expected close", fmt.date(found.expected_close)), ("Status", found.status),
        ("Owner", found.owner.display_name if found.owner else None)],
        links=[("Opportunity", f"/opportunities/{found.id}")])


def expense_claim(session: Session, data: Mapping[str, Any]) -> dict:
    """The claim: claimant, subject, lines, total, advance paid and balance."""
    found = session.get(ExpenseClaim, data.get("claim_id") or 0)
    if found is None:
        return context_view("expense_claim", "No expense claim recorded yet", [])
    total = sum((line.amount for line in found.lines), start=fmt.as_decimal(0))
    facts = [("Claimant", found.claimant.display_name if found.claimant else None),
             ("Customer", found.customer.company if found.customer else None),
             ("For", f"{found.subject} #{found.subject_id}" if found.subject_id else found.subject),
             ("Claimed", fmt.money(total)), ("Advance paid", fmt.money(found.advance)),
             ("Approved", fmt.money(found.approved_amount)), ("Status", found.status)]
    if found.customer:
        facts += customer_facts(found.customer)[:1]
    return context_view("expense_claim", f"Expense claim #{found.id}", facts,
                        lines=(("Category", "Description", "Amount"),
                               [(line.category, line.description, fmt.money(line.amount)) for line in found.lines]))
