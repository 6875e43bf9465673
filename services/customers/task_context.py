"""Task context about a customer: grade, owner, contacts and how to reach them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session, joinedload

from crm.accounts.users import User
from crm.customers.models import GRADE_LABELS, Customer
from i18n import _
from services.context_views import context_view, missing


def customer(session: Session, data: Mapping[str, Any]) -> dict:
    """The customer named by ``customer_id``: key facts, contacts and a link to its page."""
    found = session.get(Customer, data.get("customer_id") or 0,
                        options=[joinedload(Customer.owner).lazyload(User.roles), joinedload(Customer.contacts)])
    if found is None:
        return missing("customer", _("customer"))
    return context_view("customer", found.company, customer_facts(found),
                        lines=contact_lines(found), links=[(_("Customer"), f"/customers/{found.id}")])


def customer_facts(found: Customer) -> list[tuple[str, Any]]:
    """Grade, region, industry, owner, phone, e-mail and address."""
    return [(_("Grade"), GRADE_LABELS.get(found.grade, found.grade)), (_("Region"), found.region),
            (_("Industry"), found.industry), (_("Owner"), found.owner.display_name if found.owner else None),
            (_("Phone"), found.phone), (_("E-mail"), found.email), (_("Address"), found.address)]


def contact_lines(found: Customer) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
    """The customer's contacts as (columns, rows)."""
    return ((_("Contact"), _("Job title"), _("Mobile"), _("E-mail")),
            [(c.name, c.title, c.mobile or c.phone, c.email) for c in found.contacts])
