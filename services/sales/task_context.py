"""Task context of the sales processes: visits, receptions, tenders, opportunities and expense claims."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session, joinedload

from crm import formatting as fmt
from crm.accounts.users import User
from crm.customers.models import Contact, Customer
from crm.sales.expenses import EXPENSE_CATEGORIES, ExpenseClaim
from crm.sales.labels import bond_label, status_label
from crm.sales.opportunities import Opportunity
from crm.sales.records import KIND_LABELS
from crm.sales.tenders import Tender
from crm.sales.visits import Reception, Visit
from i18n import _
from services.context_views import context_view, missing
from services.customers.task_context import contact_lines, customer_facts


def _customer_link(customer_id: int) -> tuple[str, str]:
    return _("Customer"), f"/customers/{customer_id}"


def visit(session: Session, data: Mapping[str, Any]) -> dict:
    """The visit application (once saved) or the requested visit: customer, contact, date, budget, advance."""
    found = session.get(Visit, data.get("visit_id") or 0, options=[
        joinedload(Visit.customer).joinedload(Customer.contacts), joinedload(Visit.visitor).lazyload(User.roles)])
    customer = found.customer if found else session.get(Customer, data.get("customer_id") or 0)
    contact = session.get(Contact, (found.contact_id if found else data.get("contact_id")) or 0)
    facts: list[tuple[str, Any]] = [
        (_("Customer"), customer.company if customer else None),
        (_("Contact"), f"{contact.name} · {contact.mobile or contact.phone}" if contact else None),
        (_("Purpose"), found.purpose if found else data.get("purpose"))]
    if found:
        facts += [(_("Planned date"), fmt.date(found.planned_date)), (_("Objectives"), found.objectives),
                  (_("Approved budget"), fmt.money(found.budget)), (_("Approval level"), found.approval_level),
                  (_("Advance paid"), fmt.money(found.advance_paid)), (_("Status"), status_label(found.status)),
                  (_("Visitor"), found.visitor.display_name if found.visitor else None)]
    links = [_customer_link(customer.id)] if customer else []
    return context_view("visit", _("Visit to %(company)s", company=customer.company if customer else fmt.EMPTY),
                        facts, lines=contact_lines(customer) if customer else None, links=links)


def reception(session: Session, data: Mapping[str, Any]) -> dict:
    """The reception: customer, guests, arrival, budget, arrangements and advance."""
    found = session.get(Reception, data.get("reception_id") or 0,
                        options=[joinedload(Reception.customer), joinedload(Reception.host).lazyload(User.roles)])
    customer = found.customer if found else session.get(Customer, data.get("customer_id") or 0)
    facts: list[tuple[str, Any]] = [(_("Customer"), customer.company if customer else None)]
    if found:
        facts += [(_("Purpose"), found.purpose), (_("Arrival"), fmt.date(found.arrival_date)),
                  (_("Guests"), f"{found.guest_count}: {found.guests}"),
                  (_("Approved budget"), fmt.money(found.budget)), (_("Arrangements"), found.arrangements),
                  (_("Advance paid"), fmt.money(found.advance_paid)), (_("Status"), status_label(found.status)),
                  (_("Host"), found.host.display_name if found.host else None)]
    else:
        facts += [(_("Purpose"), data.get("purpose")), (_("Arrival"), fmt.date(data.get("arrival_date"))),
                  (_("Guests"), data.get("guests"))]
    links = [_customer_link(customer.id)] if customer else []
    return context_view("reception",
                        _("Reception of %(company)s", company=customer.company if customer else fmt.EMPTY),
                        facts, links=links)


def tender(session: Session, data: Mapping[str, Any]) -> dict:
    """The tender: project, deadline, estimated value, bond, bid price and status."""
    found = session.get(Tender, data.get("tender_id") or 0,
                        options=[joinedload(Tender.customer), joinedload(Tender.owner).lazyload(User.roles)])
    if found is None:
        customer = session.get(Customer, data.get("customer_id") or 0)
        return context_view("tender", _("Tender: %(project)s", project=data.get("project") or fmt.EMPTY), [
            (_("Customer"), customer.company if customer else None),
            (_("Deadline"), fmt.datetime(data.get("deadline"))),
            (_("Estimated value"), fmt.money(data.get("estimated_value")))])
    links = [_customer_link(found.customer_id)]
    if found.opportunity_id:
        links.append((_("Opportunity"), f"/opportunities/{found.opportunity_id}"))
    return context_view("tender", _("Tender: %(project)s", project=found.project), [
        (_("Customer"), found.customer.company), (_("Deadline"), fmt.datetime(found.deadline)),
        (_("Estimated value"), fmt.money(found.estimated_value)), (_("Bid bond"), fmt.money(found.bid_bond)),
        (_("Bond status"), bond_label(found.bond_status)), (_("Bid price"), fmt.money(found.bid_price)),
        (_("Status"), status_label(found.status)), (_("Tender documents"), found.documents),
        (_("Bid manager"), found.owner.display_name if found.owner else None)], links=links)


def opportunity(session: Session, data: Mapping[str, Any]) -> dict:
    """The opportunity: stage, amount, expected close and owner."""
    found = session.get(Opportunity, data.get("opportunity_id") or 0,
                        options=[joinedload(Opportunity.customer), joinedload(Opportunity.owner).lazyload(User.roles)])
    if found is None:
        return missing("opportunity", _("opportunity"))
    return context_view("opportunity", found.name, [
        (_("Customer"), found.customer.company), (_("Stage"), f"{found.stage} · {found.stage_label}"),
        (_("Amount"), fmt.money(found.amount)), (_("Expected close"), fmt.date(found.expected_close)),
        (_("Status"), status_label(found.status)),
        (_("Owner"), found.owner.display_name if found.owner else None)],
        links=[(_("Opportunity"), f"/opportunities/{found.id}")])


def expense_claim(session: Session, data: Mapping[str, Any]) -> dict:
    """The claim: claimant, subject, lines, total, advance paid and balance."""
    found = session.get(ExpenseClaim, data.get("claim_id") or 0, options=[
        joinedload(ExpenseClaim.claimant).lazyload(User.roles), joinedload(ExpenseClaim.customer),
        joinedload(ExpenseClaim.lines)])
    if found is None:
        return missing("expense_claim", _("expense claim"))
    total = sum((line.amount for line in found.lines), start=fmt.as_decimal(0))
    subject = str(KIND_LABELS.get(found.subject, _("other expenses")))
    facts = [(_("Claimant"), found.claimant.display_name if found.claimant else None),
             (_("Customer"), found.customer.company if found.customer else None),
             (_("For"), f"{subject} #{found.subject_id}" if found.subject_id else subject),
             (_("Amount claimed"), fmt.money(total)), (_("Advance paid"), fmt.money(found.advance)),
             (_("Approved"), fmt.money(found.approved_amount)), (_("Status"), status_label(found.status))]
    if found.customer:
        facts += customer_facts(found.customer)[:1]
    return context_view("expense_claim", _("Expense claim #%(id)s", id=found.id), facts,
                        lines=((_("Category"), _("Description"), _("Amount")),
                               [(str(EXPENSE_CATEGORIES.get(line.category, line.category)), line.description,
                                 fmt.money(line.amount)) for line in found.lines]))
