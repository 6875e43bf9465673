"""Keeping a customer's file: tidied attributes, the grade the rules decided, the roster."""

from __future__ import annotations

from sqlalchemy.orm import Session

from crm.customers.models import GRADES, RELATIONSHIP_TYPES, Customer

PROFILE_FIELDS = ("industry", "size", "region", "source", "phone", "email", "address")


def get_customer(session: Session, customer_id: int) -> Customer:
    """The customer, or LookupError (a process pointing at a missing customer is a data error)."""
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise LookupError(f"no customer {customer_id}")
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
        raise ValueError(f"unknown grade {grade!r}")
    if relationship_type not in RELATIONSHIP_TYPES:
        raise ValueError(f"unknown relationship type {relationship_type!r}")
    customer.grade, customer.relationship_type = grade, relationship_type
    session.flush()


def register_in_roster(session: Session, customer: Customer) -> None:
    """Put the customer on the company's roster (its data is now a company asset)."""
    customer.in_roster = True
    session.flush()
