"""Which existing customers a new or edited one may duplicate: same registry number, same normalised name,
same phone or e-mail (the customer's or one of its contacts')."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from crm.customers.models import Contact, Customer
from crm.customers.names import name_key

LIMIT = 10


@dataclass
class Duplicate:
    customer: Customer
    reasons: list[str] = field(default_factory=list)


def possible_duplicates(session: Session, values: Mapping[str, str], exclude_id: int | None = None
                        ) -> list[Duplicate]:
    """Customers (not merged away) sharing a registry number, name, phone or e-mail with ``values``."""
    checks = []
    registry, key = values.get("registry_number", ""), name_key(values.get("company", ""))
    phone, email = values.get("phone", ""), values.get("email", "").lower()
    if registry:
        checks.append(("same registry number", Customer.registry_number == registry))
    if key:
        checks.append(("same name", Customer.name_key == key))
    if phone:
        on_contact = select(Contact.customer_id).where(or_(Contact.phone == phone, Contact.mobile == phone))
        checks.append(("same phone", or_(Customer.phone == phone, Customer.id.in_(on_contact))))
    if email:
        on_contact = select(Contact.customer_id).where(func.lower(Contact.email) == email)
        checks.append(("same e-mail", or_(func.lower(Customer.email) == email, Customer.id.in_(on_contact))))
    if not checks:
        return []
    query = (select(Customer).where(or_(*(condition for _, condition in checks)), Customer.merged_into_id.is_(None))
             .options(selectinload(Customer.owner), selectinload(Customer.contacts))
             .order_by(Customer.company).limit(LIMIT))
    if exclude_id is not None:
        query = query.where(Customer.id != exclude_id)
    found = []
    for customer in session.scalars(query):
        reasons = [reason for reason, _ in checks if _matches(customer, reason, registry, key, phone, email)]
        found.append(Duplicate(customer, reasons))
    return found


def _matches(customer: Customer, reason: str, registry: str, key: str, phone: str, email: str) -> bool:
    if reason == "same registry number":
        return customer.registry_number == registry
    if reason == "same name":
        return customer.name_key == key
    if reason == "same phone":
        return phone in {customer.phone, *(c.phone for c in customer.contacts), *(c.mobile for c in customer.contacts)}
    return email in {customer.email.lower(), *(c.email.lower() for c in customer.contacts)}
