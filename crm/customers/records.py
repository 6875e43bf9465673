"""Creating, editing and deactivating customers and contacts (never deleted: processes and history name them).

Every save names the version the user edited; a newer row is refused with :class:`StaleRecord`, which says who
changed it and when, instead of overwriting their change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from sqlalchemy.orm import Session

from crm import fields, formatting
from crm.accounts.users import User
from crm.base import utcnow
from crm.customers.history import record_event
from crm.customers.models import GRADES, RELATIONSHIP_TYPES, Contact, Customer
from crm.sales.activities import ACTIVITY_KINDS, Activity, complete_activity, plan_activity
from i18n import _, _l, _lp

CUSTOMER_FIELDS: dict[str, tuple[object, int, bool, object]] = {
    "company": (_l("Company"), 200, True, None),
    "registry_number": (_l("Registry number"), 50, False, fields.registry_number),
    "industry": (_l("Industry"), 100, False, None),
    "size": (_l("Size"), 50, False, None),
    "region": (_l("Region"), 100, False, None),
    "source": (_l("Source"), 100, False, None),
    "phone": (_l("Phone"), 50, False, fields.phone),
    "email": (_l("E-mail"), 200, False, fields.email),
    "website": (_l("Website"), 200, False, fields.website),
    "address": (_l("Address"), 1000, False, None),
}
"""Field: (label, maximum length, required, format check)."""
CONTACT_FIELDS: dict[str, tuple[object, int, bool, object]] = {
    "name": (_lp("person", "Name"), 200, True, None),
    "title": (_l("Job title"), 100, False, None),
    "phone": (_l("Phone"), 50, False, fields.phone),
    "mobile": (_l("Mobile"), 50, False, fields.phone),
    "email": (_l("E-mail"), 200, False, fields.email),
}


class StaleRecord(Exception):
    """Someone saved the record after the user opened it."""

    def __init__(self, changed_by: str, changed_at: dt.datetime | None):
        when = formatting.datetime(changed_at) if changed_at else "?"
        super().__init__(_("Changed by %(who)s at %(when)s since you opened it: reload the page to see their "
                           "change, then make yours again.", who=changed_by or _("someone else"), when=when))
        self.changed_by, self.changed_at = changed_by, changed_at


def _rules(spec: Mapping[str, tuple[object, int, bool, object]]) -> dict:
    return {name: (length, required, check) for name, (_, length, required, check) in spec.items()}


def customer_values(form: Mapping[str, str]) -> dict[str, str]:
    """The checked customer attributes of a submitted form (:class:`fields.RecordInvalid` lists what is wrong)."""
    errors: dict[str, str] = {}
    try:
        values = fields.collect(form, _rules(CUSTOMER_FIELDS))
    except fields.RecordInvalid as exc:
        values, errors = {}, exc.errors
    for name, allowed in (("grade", GRADES), ("relationship_type", RELATIONSHIP_TYPES)):
        value = str(form.get(name) or allowed[-1])
        if value in allowed:
            values[name] = value
        else:
            errors[name] = _("choose one of %(choices)s", choices=", ".join(allowed))
    if errors:
        raise fields.RecordInvalid(errors)
    return values


def contact_values(form: Mapping[str, str]) -> dict:
    """The checked contact attributes of a submitted form, with its main-contact flag."""
    values: dict = fields.collect(form, _rules(CONTACT_FIELDS))
    values["is_main"] = str(form.get("is_main", "")).lower() in ("1", "true", "on", "yes")
    return values


def _changes(record, values: Mapping) -> list[str]:
    return [name for name, value in values.items() if getattr(record, name) != value]


def _check_version(record: Customer | Contact, version: int | None) -> None:
    if version is not None and record.version != version:
        raise StaleRecord(record.updated_by, record.updated_at)


def _locked(session: Session, model, record_id: int):
    """The row re-read under a write lock, so the version compared is the one the update will replace."""
    return session.get(model, record_id, with_for_update=True, populate_existing=True)


def create_customer(session: Session, values: Mapping[str, str], owner: User | None, by: str) -> Customer:
    """A new customer from checked ``values`` (see :func:`customer_values`)."""
    customer = Customer(owner=owner, updated_by=by, **values)
    session.add(customer)
    session.flush()
    record_event(session, customer.id, "created", by, customer.company)
    session.flush()
    return customer


def update_customer(session: Session, customer: Customer, values: Mapping[str, str], version: int | None,
                    by: str) -> list[str]:
    """Save the edited attributes; returns the names of those that changed."""
    customer = _locked(session, Customer, customer.id)
    _check_version(customer, version)
    changed = _changes(customer, values)
    if changed:
        for name in changed:
            setattr(customer, name, values[name])
        customer.updated_by = by
        labels = {**{k: v[0] for k, v in CUSTOMER_FIELDS.items()}, "grade": _("Grade"),
                  "relationship_type": _("Relationship")}
        record_event(session, customer.id, "edited", by, ", ".join(str(labels[name]) for name in changed))
        session.flush()
    return changed


def set_customer_active(session: Session, customer: Customer, active: bool, by: str, reason: str = "") -> None:
    """Deactivate (kept with its history, hidden from lists and pickers) or reactivate a customer."""
    if customer.merged_into_id is not None and active:
        raise ValueError(_("a merged customer stays inactive; open the customer it was merged into"))
    if customer.active == active:
        return
    customer.active, customer.updated_by = active, by
    record_event(session, customer.id, "reactivated" if active else "deactivated", by, reason)
    session.flush()


def _one_main(session: Session, contact: Contact) -> None:
    """Only one main contact per customer."""
    if contact.is_main:
        for other in contact.customer.contacts:
            if other is not contact and other.is_main:
                other.is_main = False


def add_contact(session: Session, customer: Customer, values: Mapping, by: str) -> Contact:
    """A new contact of ``customer`` from checked ``values`` (see :func:`contact_values`)."""
    contact = Contact(customer=customer, updated_by=by, **values)
    session.add(contact)
    _one_main(session, contact)
    session.flush()
    record_event(session, customer.id, "contact_added", by, contact.name)
    session.flush()
    return contact


def update_contact(session: Session, contact: Contact, values: Mapping, version: int | None, by: str) -> list[str]:
    """Save a contact's edited attributes; returns the names of those that changed."""
    contact = _locked(session, Contact, contact.id)
    _check_version(contact, version)
    changed = _changes(contact, values)
    if changed:
        for name in changed:
            setattr(contact, name, values[name])
        contact.updated_by, contact.updated_at = by, utcnow()
        _one_main(session, contact)
        labels = {**{k: v[0] for k, v in CONTACT_FIELDS.items()}, "is_main": _("main contact")}
        record_event(session, contact.customer_id, "contact_edited", by,
                     _("%(name)s: %(fields)s", name=contact.name, fields=", ".join(str(labels[n]) for n in changed)))
        session.flush()
    return changed


def set_contact_active(session: Session, contact: Contact, active: bool, by: str) -> None:
    """A contact who left is deactivated (kept: visits and processes may name them)."""
    if contact.active == active:
        return
    contact.active, contact.updated_by, contact.updated_at = active, by, utcnow()
    if not active:
        contact.is_main = False
    record_event(session, contact.customer_id, "contact_reactivated" if active else "contact_deactivated", by,
                 contact.name)
    session.flush()


ACTIVITY_FIELDS = {"subject": (300, True, None), "outcome": (2000, False, None), "next_action": (300, False, None)}


def log_activity(session: Session, customer: Customer, user: User, form: Mapping[str, str]) -> Activity:
    """A call, visit, e-mail or meeting that took place, with its outcome; a next action with a date becomes a
    planned follow-up on the user's day plan."""
    errors: dict[str, str] = {}
    try:
        values = fields.collect(form, ACTIVITY_FIELDS)
    except fields.RecordInvalid as exc:
        values, errors = {}, dict(exc.errors)
    kind = str(form.get("kind") or "")
    if kind not in ACTIVITY_KINDS:
        errors["kind"] = _("choose one of %(choices)s", choices=", ".join(map(str, ACTIVITY_KINDS.values())))
    contact_id = _own_contact(customer, form.get("contact_id"), errors)
    next_date = None
    raw_date = str(form.get("next_action_date") or "").strip()
    if raw_date:
        try:
            next_date = dt.date.fromisoformat(raw_date)
        except ValueError:
            errors["next_action_date"] = _("enter a date as YYYY-MM-DD")
    if next_date and not values.get("next_action") and "next_action" not in errors:
        errors["next_action"] = _("say what is to be done on that date")
    if errors:
        raise fields.RecordInvalid(errors)
    activity = plan_activity(session, customer, user, kind, values["subject"], None, contact_id=contact_id)
    complete_activity(session, activity, values["outcome"], next_action=values["next_action"],
                      next_action_date=next_date)
    return activity


def activity_changes(activity: Activity, form: Mapping[str, str]) -> dict:
    """The checked new values of an activity (subject, outcome, contact, next action and its date, and the day
    of a planned one); :class:`fields.RecordInvalid` names each refused field."""
    errors: dict[str, str] = {}
    try:
        values = fields.collect(form, ACTIVITY_FIELDS)
    except fields.RecordInvalid as exc:
        values, errors = {}, dict(exc.errors)
    values["contact_id"] = _own_contact(activity.customer, form.get("contact_id"), errors)
    for name in ("next_action_date", "planned_for"):
        values[name] = _day(form.get(name), name, errors)
    if values["planned_for"] != activity.planned_for and activity.status != "planned":
        errors["planned_for"] = _("only a planned activity has a day on the plan")
    if values["next_action_date"] and not values.get("next_action") and "next_action" not in errors:
        errors["next_action"] = _("say what is to be done on that date")
    if errors:
        raise fields.RecordInvalid(errors)
    return values


def _day(raw, name: str, errors: dict[str, str]) -> dt.date | None:
    text = str(raw or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        errors[name] = _("enter a date as YYYY-MM-DD")
        return None


def _own_contact(customer: Customer, raw, errors: dict[str, str]) -> int | None:
    text = str(raw or "").strip()
    if not text:
        return None
    ids = {c.id for c in customer.contacts}
    if not text.isdigit() or int(text) not in ids:
        errors["contact_id"] = _("choose one of this customer's contacts")
        return None
    return int(text)
