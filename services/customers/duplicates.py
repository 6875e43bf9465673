"""Which existing customers a new or edited one may duplicate: same registry number, same normalised name,
same phone or e-mail (the customer's or one of its contacts')."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from crm.customers.models import Contact, Customer
from crm.customers.names import name_key
from i18n import _l

LIMIT = 10
REASON_LABELS = {"same registry number": _l("same registry number"), "same name": _l("same name"),
                 "same phone": _l("same phone"), "same e-mail": _l("same e-mail")}
"""How a duplicate's reasons (the keys, kept in English) are shown."""


@dataclass
class Duplicate:
    customer: Customer
    reasons: list[str] = field(default_factory=list)

    @property
    def reason_labels(self) -> list[str]:
        """The reasons in the reader's language."""
        return [str(REASON_LABELS.get(reason, reason)) for reason in self.reasons]


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


REASONS = ("registry", "name", "phone", "email")
"""The keys :func:`first_matches` compares, strongest first (the same as :func:`possible_duplicates`)."""


def first_matches(session: Session, keys: list[tuple[str, str, str, str]]) -> list[tuple[str, str, int] | None]:
    """For many would-be customers at once (an import chunk): ``(reason, key, customer id)`` of the first existing
    customer sharing, in this order, the registry number, the normalised name, a phone or an e-mail (the
    customer's or a contact's) with each; None for those that duplicate nobody. Four queries per call."""
    wanted = [set(filter(None, column)) for column in zip(*keys, strict=True)] if keys else [set()] * 4
    found: list[dict[str, int]] = [{}, {}, {}, {}]
    live = Customer.merged_into_id.is_(None)

    def keep(index: int, rows) -> None:
        for key, customer_id in rows:
            found[index].setdefault(key, customer_id)

    if wanted[0]:
        keep(0, session.execute(select(Customer.registry_number, Customer.id).where(
            Customer.registry_number.in_(wanted[0]), live).order_by(Customer.id)))
    if wanted[1]:
        keep(1, session.execute(select(Customer.name_key, Customer.id).where(
            Customer.name_key.in_(wanted[1]), live).order_by(Customer.id)))
    if wanted[2]:
        phones = list(wanted[2])
        keep(2, session.execute(select(Customer.phone, Customer.id).where(Customer.phone.in_(phones), live)
                                .order_by(Customer.id)))
        for column in (Contact.phone, Contact.mobile):
            keep(2, session.execute(select(column, Contact.customer_id).join(Customer).where(column.in_(phones), live)
                                    .order_by(Contact.customer_id)))
    if wanted[3]:
        emails = list(wanted[3])
        keep(3, session.execute(select(func.lower(Customer.email), Customer.id)
                                .where(func.lower(Customer.email).in_(emails), live).order_by(Customer.id)))
        keep(3, session.execute(select(func.lower(Contact.email), Contact.customer_id).join(Customer)
                                .where(func.lower(Contact.email).in_(emails), live).order_by(Contact.customer_id)))
    result: list[tuple[str, str, int] | None] = []
    for row in keys:
        hit = next(((REASONS[i], key, found[i][key]) for i, key in enumerate(row) if key and key in found[i]), None)
        result.append(hit)
    return result
