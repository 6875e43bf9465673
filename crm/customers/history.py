"""What was done to a customer's record (created, edited, deactivated, merged, contacts): shown on its timeline."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, Session, mapped_column

from crm.base import CrmBase, utcnow
from i18n import _l

RECORD_EVENTS = {
    "created": _l("Customer created"), "edited": _l("Customer edited"), "deactivated": _l("Customer deactivated"),
    "reactivated": _l("Customer reactivated"), "merged": _l("Customers merged"), "contact_added": _l("Contact added"),
    "contact_edited": _l("Contact edited"), "contact_deactivated": _l("Contact deactivated"),
    "contact_reactivated": _l("Contact reactivated"), "quote_revised": _l("Quote revised"),
}
"""Event kinds and their timeline titles."""


class CustomerEvent(CrmBase):
    __tablename__ = "customer_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    summary: Mapped[str] = mapped_column(String(500), default="")
    by: Mapped[str] = mapped_column(String(100))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


def record_event(session: Session, customer_id: int, kind: str, by: str, summary: str = "") -> CustomerEvent:
    """Write one line of the record's history."""
    if kind not in RECORD_EVENTS:
        raise ValueError(f"unknown record event {kind!r}")
    event = CustomerEvent(customer_id=customer_id, kind=kind, by=by, summary=summary[:500])
    session.add(event)
    return event
