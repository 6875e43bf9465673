"""Keeping a customer's file: tidied attributes, the grade the rules decided, the roster."""

from __future__ import annotations

from sqlalchemy.orm import Session

from crm.customers.models import GRADES, RELATIONSHIP_TYPES, Customer
from i18n import _

PROFILE_FIELDS = ("industry", "size", "region", "source", "phone", "email", "address")


def get_customer(session: Session, customer_id: int) -> Customer:
    """The customer, or LookupError (a process pointing at a missing customer is a data error)."""
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise LookupError(_("There is no customer %(id)s.", id=customer_id))
    return customer


def tidy_profile(session: Session, customer: Customer, values: dict[str, str]) -> list[str]:
    """Overwrite the profile attributes given (blank values keep what is there); returns what changed."""
    changed = []
    for name in PROFILE_FIELDS:
        value = (values.get(name) or "").strip()
        if value and value != getattr(customer, name):
            setattr(customer, name, value)
            changed.append(name)
    session.flush()
    return changed


def set_grade(session: Session, customer: Customer, grade: str, relationship_type: str) -> None:
    """Store the grade decided by the grading rules (the rules themselves live in DMN)."""
    if grade not in GRADES:
        raise ValueError(_("Unknown customer grade %(grade)s.", grade=repr(grade)))
    if relationship_type not in RELATIONSHIP_TYPES:
        raise ValueError(_("Unknown relationship type %(type)s.", type=repr(relationship_type)))
    customer.grade, customer.relationship_type = grade, relationship_type
    session.flush()


def register_in_roster(session: Session, customer: Customer) -> None:
    """Put the customer on the company's roster (its data is now a company asset)."""
    customer.in_roster = True
    session.flush()
