"""Recording what a tracked contact did, and the personal links marketing sends out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm.base import utcnow
from crm.customers.behaviour import BehaviourEvent, record_behaviour
from crm.customers.models import Contact, Customer
from i18n import _

from .tokens import Clicked, Opened, TrackingTokens

DETAIL_LENGTH = 500
CAMPAIGN_LENGTH = 100


class TrackingRefused(ValueError):
    """A link or check-in that cannot be made (the message says why)."""


def _contact(session: Session, contact_id: int) -> Contact | None:
    contact = session.get(Contact, contact_id)
    if contact is None or not contact.active or not contact.customer.active:
        return None
    return contact


def record_open(session: Session, opened: Opened) -> bool:
    """An e-mail of ``opened.campaign`` was opened; False when the contact is gone."""
    contact = _contact(session, opened.contact_id)
    if contact is None:
        return False
    record_behaviour(session, contact, "email_open", opened.campaign[:DETAIL_LENGTH])
    return True


def record_click(session: Session, clicked: Clicked) -> bool:
    """A tracked link was followed; False when the contact is gone."""
    contact = _contact(session, clicked.contact_id)
    if contact is None:
        return False
    record_behaviour(session, contact, "link_click", f"{clicked.campaign}: {clicked.url}"[:DETAIL_LENGTH])
    return True


def record_visit(session: Session, contact_id: int, page_url: str, per_hour: int,
                 now: dt.datetime | None = None) -> str:
    """A website page seen by an identified contact: ``recorded``, ``unknown`` (contact gone or bad address)
    or ``limited`` (more than ``per_hour`` visits in the last hour are not recorded)."""
    contact = _contact(session, contact_id)
    parts = urlsplit(page_url or "")
    if contact is None or parts.scheme not in ("http", "https") or not parts.netloc:
        return "unknown"
    now = now or utcnow()
    recent = session.scalar(select(func.count(BehaviourEvent.id)).where(
        BehaviourEvent.contact_id == contact.id, BehaviourEvent.kind == "web_visit",
        BehaviourEvent.at >= now - dt.timedelta(hours=1)))
    if recent >= per_hour:
        return "limited"
    record_behaviour(session, contact, "web_visit", page_url[:DETAIL_LENGTH], at=now)
    return "recorded"


def check_in(session: Session, contact: Contact, seminar: str) -> BehaviourEvent:
    """``contact`` attended ``seminar`` (the check-in desk or an attendance list)."""
    seminar = seminar.strip()
    if not seminar or len(seminar) > CAMPAIGN_LENGTH:
        raise TrackingRefused(_("Name the seminar (at most %(n)s characters).", n=CAMPAIGN_LENGTH))
    return record_behaviour(session, contact, "seminar", seminar)


@dataclass(frozen=True)
class PersonalLink:
    """One contact's tracked link and open pixel for a campaign (for a mail merge)."""

    customer: str
    contact: str
    email: str
    link: str
    pixel: str


def personal_links(tokens: TrackingTokens, contacts: Iterable[Contact], campaign: str, url: str,
                   base_url: str) -> list[PersonalLink]:
    """Each contact's tracked link to ``url`` and open pixel for ``campaign``; ``base_url`` is this site's."""
    campaign = campaign.strip()
    if not campaign or len(campaign) > CAMPAIGN_LENGTH:
        raise TrackingRefused(_("Name the campaign (at most %(n)s characters).", n=CAMPAIGN_LENGTH))
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or len(url) > DETAIL_LENGTH:
        raise TrackingRefused(_("The link must be a web address starting with https:// or http://."))
    base = base_url.rstrip("/")
    return [PersonalLink(c.customer.company, c.name, c.email or "",
                         f"{base}/t/c/{tokens.click_token(c.id, campaign, url.strip())}",
                         f"{base}/t/o/{tokens.open_token(c.id, campaign)}.gif")
            for c in contacts]


def contact_by_id(session: Session, contact_id: int | None) -> Contact | None:
    """An active contact of an active customer, or None."""
    return _contact(session, contact_id) if contact_id is not None else None


def contacts_of(session: Session, owner_ids: set[int] | None, customer_id: int | None = None) -> list[Contact]:
    """Contacts of active customers within a data scope (``owner_ids`` None: everyone's), optionally of one
    customer, by customer and name."""
    query = (select(Contact).join(Customer, Contact.customer_id == Customer.id)
             .where(Customer.active.is_(True), Contact.active.is_(True)).order_by(Customer.company, Contact.name))
    if owner_ids is not None:
        query = query.where(Customer.owner_id.in_(owner_ids))
    if customer_id is not None:
        query = query.where(Customer.id == customer_id)
    return list(session.scalars(query))
