"""What contacts do on their own: web visits, e-mail opens, link clicks, seminar attendance."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from crm.base import CrmBase, utcnow
from crm.customers.models import Contact
from i18n import _l

BEHAVIOUR_KINDS = {
    "web_visit": _l("Web page visit"),
    "email_open": _l("E-mail opened"),
    "link_click": _l("Link clicked"),
    "seminar": _l("Seminar attended"),
}


class BehaviourEvent(CrmBase):
    """One tracked action of a contact (``customer_id`` is copied for the customer's timeline)."""

    __tablename__ = "behaviour_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    detail: Mapped[str] = mapped_column(String(500), default="")

    contact: Mapped[Contact] = relationship()


def record_behaviour(session: Session, contact: Contact, kind: str, detail: str = "",
                     at: dt.datetime | None = None) -> BehaviourEvent:
    """Store one behaviour event of ``contact``."""
    if kind not in BEHAVIOUR_KINDS:
        raise ValueError(f"unknown behaviour kind {kind!r}")
    event = BehaviourEvent(contact_id=contact.id, customer_id=contact.customer_id, kind=kind, detail=detail,
                           at=at or utcnow())
    session.add(event)
    session.flush()
    return event
