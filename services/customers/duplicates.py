"""Which existing customers a new or edited one may duplicate: same registry number, same normalised name,
same phone or e-mail (the customer's or one of its contacts'); and which contacts a new or edited contact may
duplicate: the same normalised name at the same customer, the same phone or e-mail at any customer the user sees.
Both answer :class:`Duplicate` rows, shown by one warning (``customers/_duplicates.html``) that the user confirms."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from crm.customers.models import Contact, Customer
from crm.customers.names import name_key, person_key
from i18n import _l

LIMIT = 10
REASON_LABELS = {"same registry number": _l("same registry number"), "same name": _l("same name"),
                 "same phone": _l("same phone"), "same e-mail": _l("same e-mail")}
"""How a duplicate's reasons (the keys, kept in English) are shown."""


@dataclass
class Duplicate:
    """An existing customer, or an existing contact (``contact``, of ``customer``), and why it may be the same."""

    customer: Customer
    reasons: list[str] = field(default_factory=list)
    contact: Contact | None = None

    @property
    def label(self) -> str:
        """``#id name`` of the record (a contact's with its customer)."""
        if self.contact is not None:
            return f"#{self.contact.id} {self.contact.name} · {self.customer.company}"
        return f"#{self.customer.id} {self.customer.company}"

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


CUSTOMER_REASONS = {"registry_number": "same registry number", "company": "same name", "phone": "same phone",
                    "email": "same e-mail"}
CONTACT_REASONS = {"name": "same name", "phone": "same phone", "mobile": "same phone", "email": "same e-mail"}
"""Field -> the duplicate reason it can give (on edit, only changed fields warn)."""


def changed_only(found: list[Duplicate], record: Customer | Contact, values: Mapping[str, object],
                 reasons: Mapping[str, str]) -> list[Duplicate]:
    """Of ``found`` for an edit of ``record``, those a field the user changed gives a reason for."""
    changed = {reason for name, reason in reasons.items() if values.get(name) != getattr(record, name)}
    return [duplicate for duplicate in found if set(duplicate.reasons) & changed]


def possible_contact_duplicates(session: Session, customer_id: int, values: Mapping[str, str],
                                scope: set[int] | None, exclude_id: int | None = None) -> list[Duplicate]:
    """Contacts sharing the normalised name at the same customer, or a phone/mobile number or e-mail with
    ``values`` at any customer owned by ``scope`` (None: every customer); not ``exclude_id`` (the one edited)."""
    key, email = person_key(values.get("name", "")), values.get("email", "").lower()
    phones = {number for number in (values.get("phone", ""), values.get("mobile", "")) if number}
    checks = [Contact.customer_id == customer_id] if key else []
    if phones:
        checks += [Contact.phone.in_(phones), Contact.mobile.in_(phones)]
    if email:
        checks.append(func.lower(Contact.email) == email)
    if not checks:
        return []
    query = (select(Contact).join(Customer, Customer.id == Contact.customer_id)
             .where(or_(*checks), Customer.merged_into_id.is_(None))
             .options(selectinload(Contact.customer)).order_by(Contact.name_pinyin, Contact.id))
    if exclude_id is not None:
        query = query.where(Contact.id != exclude_id)
    if scope is not None:
        query = query.where(or_(Contact.customer_id == customer_id, Customer.owner_id.in_(scope)))
    found = []
    for contact in session.scalars(query):
        reasons = [reason for reason, matched in (
            ("same name", contact.customer_id == customer_id and key and person_key(contact.name) == key),
            ("same phone", bool(phones & {contact.phone, contact.mobile})),
            ("same e-mail", bool(email) and contact.email.lower() == email)) if matched]
        if reasons:
            found.append(Duplicate(contact.customer, reasons, contact))
    return found[:LIMIT]


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
