"""Create, update and deactivate through the pages' own domain functions and checks, so a record written through
the API obeys the same rules (lengths, formats, bounds, choices, data scope) as one written on a page.

Each function receives the body as a form-like mapping of text (what the page checks receive) and raises
:class:`engine.errors.TaskDataInvalid` (422, per-field messages), :class:`engine.errors.Conflict` (409) or
:class:`Stale` (412, someone saved in between).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from crm import field_checks
from crm.change_tracking import StaleVersion, lock_version
from crm.customers import records
from crm.customers.models import Contact, Customer
from crm.fields import RecordInvalid
from crm.orders import quotes
from crm.orders.errors import OrderError
from crm.sales.opportunities import Opportunity, StaleEdit, check_version, move_to_stage
from engine.errors import Conflict, TaskDataInvalid
from i18n import _
from services.accounts.directory import user_by_id
from services.customers import duplicates
from services.orders import quote_form
from services.records.kinds import visible_record
from services.sales import opportunity_form
from web.customers.records import OWNER_CHOOSERS


class Stale(Exception):
    """The record changed since the version the caller sent (412)."""


class Existing(Exception):
    """The create asked for was made before (e.g. a payment with the same external reference): the answer is that
    record, 200."""

    def __init__(self, record):
        super().__init__(record)
        self.record = record


def locked(session, record, version: int) -> None:
    """Lock the record's row for the change about to be made; :class:`Stale` unless it is still at ``version``."""
    try:
        lock_version(session, record, version)
    except StaleVersion as exc:
        raise Stale(_("The record changed since you read it (it is at version %(version)s): read it again and "
                      "make your change again.", version=exc.version)) from None


def invalid(errors: Mapping[str, str]) -> TaskDataInvalid:
    """The 422 of a refused body: each field with its message."""
    return TaskDataInvalid({name: [str(message)] for name, message in errors.items()})


def _checked_customer(form: Mapping[str, str]) -> dict[str, str]:
    try:
        return records.customer_values(form)
    except RecordInvalid as exc:
        raise invalid(exc.errors) from None


def _no_duplicates(found: list, form: Mapping[str, str]) -> None:
    if found and str(form.get("confirm_duplicate", "")) not in ("1", "true", "True"):
        listed = "; ".join(f"{d.label} ({', '.join(d.reasons)})" for d in found)
        raise Conflict(_("Likely duplicates: %(listed)s. Send confirm_duplicate: true to save anyway.", listed=listed))


def customer_form(customer: Customer) -> dict[str, object]:
    """The customer's current values, under the names its form uses."""
    return {name: getattr(customer, name) for name in (*records.CUSTOMER_FIELDS, "grade", "relationship_type")}


def create_customer(session, form: Mapping[str, str], me, _scope) -> Customer:
    """A new customer; a salesperson's own, or (directors, information officers) the chosen salesperson's."""
    values = _checked_customer(form)
    _no_duplicates(duplicates.possible_duplicates(session, values), form)
    owner = me.user
    if me.has_role(*OWNER_CHOOSERS):
        chosen = user_by_id(session, int(form["owner_id"])) if str(form.get("owner_id", "")).isdigit() else None
        owner = chosen if chosen is not None and chosen.has_role("salesperson") else None
    return records.create_customer(session, values, owner, me.username)


def update_customer(session, customer: Customer, form: Mapping[str, str], version: int, me, _scope) -> None:
    values = _checked_customer(form)
    found = duplicates.possible_duplicates(session, values, exclude_id=customer.id)
    _no_duplicates(duplicates.changed_only(found, customer, values, duplicates.CUSTOMER_REASONS), form)
    try:
        records.update_customer(session, customer, values, version, me.username)
    except records.StaleRecord as exc:
        raise Stale(str(exc)) from None


def deactivate_customer(session, customer: Customer, reason: str, me) -> None:
    try:
        records.set_customer_active(session, customer, False, me.username, reason[:300])
    except ValueError as exc:
        raise Conflict(str(exc)) from None


def contact_form(contact: Contact) -> dict[str, object]:
    return {**{name: getattr(contact, name) for name in records.CONTACT_FIELDS},
            "is_main": "1" if contact.is_main else ""}


def _checked_contact(form: Mapping[str, str]) -> dict:
    try:
        return records.contact_values(form)
    except RecordInvalid as exc:
        raise invalid(exc.errors) from None


def _own_customer(session, form: Mapping[str, str], scope) -> Customer:
    """The body's customer if it lies in the caller's data scope (else a 422 on ``customer_id``)."""
    raw = str(form.get("customer_id", ""))
    customer = visible_record(session, "customers", int(raw), scope) if raw.isdecimal() else None
    if customer is None:
        raise invalid({"customer_id": _("Choose one of your customers.")})
    return customer


def create_customer_contact(session, form: Mapping[str, str], me, scope) -> Contact:
    """A new contact of one of the caller's customers."""
    customer = _own_customer(session, form, scope)
    values = _checked_contact(form)
    _no_duplicates(duplicates.possible_contact_duplicates(session, customer.id, values, scope), form)
    return records.add_contact(session, customer, values, me.username)


def update_contact(session, contact: Contact, form: Mapping[str, str], version: int, me, scope) -> None:
    values = _checked_contact(form)
    found = duplicates.possible_contact_duplicates(session, contact.customer_id, values, scope, exclude_id=contact.id)
    _no_duplicates(duplicates.changed_only(found, contact, values, duplicates.CONTACT_REASONS), form)
    try:
        records.update_contact(session, contact, values, version, me.username)
    except records.StaleRecord as exc:
        raise Stale(str(exc)) from None


def deactivate_contact(session, contact: Contact, _reason: str, me) -> None:
    records.set_contact_active(session, contact, False, me.username)


def _product_ids(form: Mapping) -> list[str]:
    return [str(item) for item in form.get("product_ids") or []]


def create_opportunity(session, form: Mapping[str, str], me, scope) -> Opportunity:
    checked = opportunity_form.read(session, form, _product_ids(form), scope, new=True)
    if checked.errors:
        raise invalid(checked.errors)
    return opportunity_form.create(session, checked, me.user)


def opportunity_fields(opp: Opportunity) -> dict[str, object]:
    return {k: v for k, v in opportunity_form.of(opp).raw.items() if k != "version"}


def update_opportunity(session, opp: Opportunity, form: Mapping[str, str], version: int, me, scope) -> None:
    form = {**form, "version": str(version)}
    checked = opportunity_form.read(session, form, _product_ids(form), scope, new=False)
    if checked.errors:
        if "version" in checked.errors and set(checked.errors) == {"version"}:
            raise Stale(checked.errors["version"])
        raise invalid(checked.errors)
    try:
        opportunity_form.save(session, opp, checked, me.user)
    except StaleEdit as exc:
        raise Stale(str(exc)) from None
    except ValueError as exc:
        raise Conflict(str(exc)) from None


def move_opportunity(session, opp: Opportunity, form: Mapping[str, str], version: int, me) -> None:
    """The stage change of the opportunity page: stage, probability override, amount, close date, analysis."""
    errors = field_checks.FieldErrors()
    stage = field_checks.whole(form, "stage", errors, minimum=1, maximum=9)
    probability = field_checks.percent(form, "probability", errors)
    amount = field_checks.money(form, "amount", errors, required=False)
    close = field_checks.date(form, "expected_close", errors)
    analysis = field_checks.text(form, "analysis", errors, max_length=2000)
    if stage is None:
        errors.add("stage", _("Choose a stage."))
    if errors:
        raise invalid(errors)
    try:
        check_version(opp, version)
    except StaleEdit as exc:
        raise Stale(str(exc)) from None
    try:
        move_to_stage(session, opp, stage, me.username, probability=int(probability) if probability is not None
                      else None, amount=amount, expected_close=close, analysis=analysis)
    except ValueError as exc:
        raise Conflict(str(exc)) from None


def activity_fields(activity) -> dict[str, object]:
    return {name: getattr(activity, name) for name in ("subject", "outcome", "contact_id", "next_action",
                                                         "next_action_date", "planned_for")}


def update_activity(session, activity, form: Mapping[str, str], version: int, _me, _scope) -> None:
    """An activity's subject, outcome, contact, next action (with its date) and, while planned, its day."""
    try:
        values = records.activity_changes(activity, form)
    except RecordInvalid as exc:
        raise invalid(exc.errors) from None
    locked(session, activity, version)
    for name, value in values.items():
        setattr(activity, name, value)


def log_activity(session, form: Mapping[str, str], me, scope):
    """A call, visit, e-mail or meeting with one of the caller's customers."""
    customer = _own_customer(session, form, scope)
    try:
        return records.log_activity(session, customer, me.user, form)
    except RecordInvalid as exc:
        raise invalid(exc.errors) from None


def create_quote(session, form: Mapping[str, str], me, scope) -> quotes.Quote:
    checked = quote_form.read(session, form, scope)
    if checked.errors:
        raise invalid(checked.errors)
    try:
        return quote_form.create(session, checked, me.user)
    except OrderError as exc:
        raise invalid({"_body": str(exc)}) from None


def quote_terms(quote: quotes.Quote) -> dict[str, object]:
    return {k: v for k, v in quote_form.terms_of(quote).raw.items() if k != "version"}


def _draft(quote: quotes.Quote) -> None:
    if quote.status != "draft":
        raise Conflict(_("Quote %(number)s is %(status)s: only drafts can be changed.", number=quote.number,
                         status=quote.status))


def update_quote(session, quote: quotes.Quote, form: Mapping[str, str], version: int, me, _scope) -> None:
    _draft(quote)
    checked = quote_form.read_terms({**form, "version": str(version)})
    if checked.errors:
        raise invalid(checked.errors)
    try:
        quotes.edit_terms(quote, me.username, **checked.values)
    except quotes.StaleQuote as exc:
        raise Stale(str(exc)) from None
    except OrderError as exc:
        raise invalid({"_body": str(exc)}) from None


def add_quote_line(session, quote: quotes.Quote, form: Mapping[str, str], version: int, me) -> quotes.QuoteLine:
    _draft(quote)
    checked = quote_form.read_line(session, {**form, "version": str(version)})
    if checked.errors:
        raise invalid(checked.errors)
    values = checked.values
    try:
        quotes.check_version(quote, values["version"])
    except quotes.StaleQuote as exc:
        raise Stale(str(exc)) from None
    try:
        return quotes.add_line(session, quote, values["quantity"], product=values["product"],
                               description=values["description"], unit_price=values["unit_price"],
                               discount_percent=values["discount_percent"] or Decimal(0), by=me.username)
    except OrderError as exc:
        raise invalid({"_body": str(exc)}) from None
