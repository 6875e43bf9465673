"""Reference lookups for form fields: which customers, contacts or users exist, and their labels."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.accounts.users import User
from crm.customers.models import Contact, Customer

_KINDS: dict[str, tuple[type, str]] = {
    "user": (User, "display_name"),
    "customer": (Customer, "company"),
    "contact": (Contact, "name"),
}
"""Reference kinds: the model and the attribute shown as the record's label."""


def kinds() -> list[str]:
    """Every reference kind a form field may name."""
    return sorted(_KINDS)


def exists(session: Session, kind: str, record_id: int) -> bool:
    """Whether a record of ``kind`` with this id exists."""
    model, _ = _KINDS[kind]
    return session.get(model, record_id) is not None


def search(session: Session, kind: str, text: str = "", limit: int = 20) -> list[tuple[int, str]]:
    """(id, label) pairs of active records of ``kind`` whose label contains ``text``."""
    model, attribute = _KINDS[kind]
    label = getattr(model, attribute)
    query = select(model.id, label).order_by(label).limit(limit)
    if text:
        query = query.where(label.ilike(f"%{text}%"))
    if model in (Customer, Contact):
        query = query.where(model.active.is_(True))  # deactivated customers and contacts are not offered
    return [(row[0], row[1]) for row in session.execute(query)]


def label(session: Session, kind: str, record_id: int) -> str | None:
    """The display label of one record."""
    model, attribute = _KINDS[kind]
    record = session.get(model, record_id)
    return getattr(record, attribute) if record is not None else None
