"""The data-quality checks: each yields ``(customer id, detail)`` for the active customers it finds wanting.
Formats are judged by the customer form's own checks (:mod:`crm.fields`), names by the duplicate check's key."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session

from crm import fields
from crm.accounts.users import User
from crm.customers.models import Customer
from crm.sales.activities import Activity
from i18n import _, _l

REQUIRED = ("industry", "region", "size", "phone")
"""Attributes every customer needs (the roll-out plan's base data)."""
REQUIRED_LABELS = {"industry": _l("industry"), "region": _l("region"), "size": _l("size"), "phone": _l("phone")}
CHUNK = 2000
Finding = tuple[int, str]


def _live(customer_ids: set[int] | None):
    condition = and_(Customer.active.is_(True), Customer.merged_into_id.is_(None))
    if customer_ids is not None:
        condition = and_(condition, Customer.id.in_(customer_ids))
    return condition


def duplicates(session: Session, customer_ids: set[int] | None, _today: dt.date, _idle_days: int
               ) -> Iterator[Finding]:
    """Customers sharing a registry number, normalised name, phone or e-mail with another active customer."""
    keys = ((_l("registry number"), Customer.registry_number), (_l("name"), Customer.name_key),
            (_l("phone"), Customer.phone), (_l("e-mail"), func.lower(Customer.email)))
    found: dict[int, list[str]] = {}
    for label, column in keys:
        shared = (select(column.label("key")).where(_live(None), column != "")
                  .group_by(column).having(func.count() > 1).subquery())
        rows = session.execute(select(Customer.id, column).where(_live(customer_ids), column.in_(select(shared.c.key)))
                               .order_by(Customer.id))
        for customer_id, value in rows:
            found.setdefault(customer_id, []).append(_("same %(key)s %(value)s", key=label, value=value))
    for customer_id, reasons in sorted(found.items()):
        yield customer_id, "; ".join(reasons)


def missing(session: Session, customer_ids: set[int] | None, _today: dt.date, _idle_days: int) -> Iterator[Finding]:
    """Customers without an industry, region, size or phone."""
    columns = [getattr(Customer, name) for name in REQUIRED]
    query = (select(Customer.id, *columns).where(_live(customer_ids), or_(*(column == "" for column in columns)))
             .order_by(Customer.id))
    for row in session.execute(query):
        yield row[0], ", ".join(str(REQUIRED_LABELS[name]) for name, value in zip(REQUIRED, row[1:], strict=True)
                                if not value)


def invalid_contact(session: Session, customer_ids: set[int] | None, _today: dt.date, _idle_days: int
                    ) -> Iterator[Finding]:
    """Customers whose stored phone or e-mail the customer form would refuse (e.g. imported or legacy data)."""
    last = 0
    while True:
        rows = session.execute(select(Customer.id, Customer.phone, Customer.email)
                               .where(_live(customer_ids), (Customer.phone != "") | (Customer.email != ""),
                                      Customer.id > last).order_by(Customer.id).limit(CHUNK)).all()
        if not rows:
            return
        for customer_id, phone, email in rows:
            bad_phone = bool(phone) and not _valid(fields.phone, phone)
            bad_email = bool(email) and not _valid(fields.email, email)
            if bad_phone and bad_email:
                yield customer_id, _("invalid phone and e-mail")
            elif bad_phone or bad_email:
                yield customer_id, _("invalid phone") if bad_phone else _("invalid e-mail")
        last = rows[-1].id


def _valid(check: Callable[[str], str], value: str) -> bool:
    try:
        check(value)
    except fields.FieldError:
        return False
    return True


def owner_inactive(session: Session, customer_ids: set[int] | None, _today: dt.date, _idle_days: int
                   ) -> Iterator[Finding]:
    """Customers whose owner's account is deactivated (the salesperson left)."""
    rows = session.execute(select(Customer.id, User.username).join(User, Customer.owner_id == User.id)
                           .where(_live(customer_ids), User.active.is_(False)).order_by(Customer.id))
    for customer_id, username in rows:
        yield customer_id, _("owner %(user)s is inactive", user=username)


def key_idle(session: Session, customer_ids: set[int] | None, today: dt.date, idle_days: int) -> Iterator[Finding]:
    """Key customers with no activity done in the last ``idle_days`` days."""
    since = dt.datetime.combine(today - dt.timedelta(days=idle_days), dt.time())
    recent = exists().where(Activity.customer_id == Customer.id, Activity.status == "done", Activity.done_at >= since)
    rows = session.scalars(select(Customer.id).where(_live(customer_ids), Customer.grade == "key", ~recent,
                                                     Customer.created_at < since).order_by(Customer.id))
    for customer_id in rows:
        yield customer_id, _("no activity for %(n)s days", n=idle_days)


CHECKS: dict[str, Callable[[Session, set[int] | None, dt.date, int], Iterator[Finding]]] = {
    "duplicate": duplicates, "missing": missing, "invalid_contact": invalid_contact,
    "owner_inactive": owner_inactive, "key_idle": key_idle,
}
