"""Shared bits of the order and service pages: reading typed form values, refusals as flashes, data scope."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from typing import Any

from flask import abort, flash, request
from flask_login import current_user

from crm import bounds
from crm.accounts.access import visible_owner_ids
from crm.customers.models import Customer
from crm.orders.errors import OrderError
from i18n import _, _l, zones
from services.customers.queries import customers_in_scope
from web import db

SALES_ROLES = ("salesperson", "customer_director", "sales_director", "administrator")
"""May work on quotes, contracts and projects."""
FINANCE_ROLES = ("finance", "customer_director", "sales_director", "administrator")
"""May see receivables and record payments."""
SERVICE_ROLES = ("service_agent", "engineer", "customer_director", "finance", "administrator")
"""May see service requests, orders and the engineers' schedule."""


def decimal_field(name: str, column: Any, default: Decimal | None = None, *, high: Decimal | None = None) -> Decimal:
    """A submitted decimal (``1,234.50`` accepted) that fits ``column`` (a model attribute: its precision, scale
    and sign, :mod:`crm.bounds`) and is at most ``high``, or ``default`` when empty."""
    raw = request.form.get(name, "").replace(",", "").strip()
    if not raw and default is not None:
        return default
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise OrderError(_("%(field)s: %(text)s is not a number", field=_label(name), text=repr(raw[:40]))) from None
    target = _column(column)
    low, top = bounds.number_range(target)
    text = bounds.number_problem(value, low, top if high is None else min(top, high))
    if text:
        raise OrderError(_("%(field)s: %(problem)s", field=_label(name), problem=text))
    places = bounds.decimal_places(target) or 0
    if value.normalize().as_tuple().exponent < -places:
        raise OrderError(_("%(field)s: at most %(n)s decimal places", field=_label(name), n=places))
    return value


def date_field(name: str, required: bool = True) -> dt.date | None:
    raw = request.form.get(name, "").strip()
    if not raw and not required:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise OrderError(_("%(field)s: enter a date as YYYY-MM-DD", field=_label(name))) from None


def datetime_field(name: str) -> dt.datetime:
    """A submitted date and time as stored (UTC): typed in the user's zone, or with an offset."""
    try:
        return zones.to_utc(dt.datetime.fromisoformat(request.form.get(name, "").strip()))
    except ValueError:
        raise OrderError(_("%(field)s: enter a date and time", field=_label(name))) from None


def time_field(name: str) -> dt.time:
    try:
        return dt.time.fromisoformat(request.form.get(name, "").strip())
    except ValueError:
        raise OrderError(_("%(field)s: enter a time as HH:MM", field=_label(name))) from None


def int_field(name: str, column: Any = None, *, low: int | None = None) -> int | None:
    """A submitted whole number, None when empty. Without ``column`` it is an id (1 to 2**31 - 1), else it must
    fit the column's range (and be at least ``low``)."""
    raw = request.form.get(name, "").strip()
    if not raw:
        return None
    if not raw.lstrip("+-").isdecimal() or len(raw) > 30:
        raise OrderError(_("%(field)s: %(text)s is not a whole number", field=_label(name), text=repr(raw[:40])))
    value = int(raw)
    floor, top = bounds.number_range(_column(column)) if column is not None else (1, bounds.LARGEST_ID)
    text = bounds.number_problem(value, max(floor, low) if low is not None else floor, top)
    if text:
        raise OrderError(_("%(field)s: %(problem)s", field=_label(name), problem=text))
    return value


FIELD_LABELS = {
    "amount": _l("Amount"), "unit_price": _l("Unit price"), "unit_cost": _l("Unit cost"),
    "standard_cost": _l("Standard cost"), "quantity": _l("Quantity"), "discount_percent": _l("Discount percent"),
    "progress_percent": _l("Progress"), "received_on": _l("Received on"), "terminated_on": _l("Terminated on"),
    "start_date": _l("Start date"), "end_date": _l("End date"), "due_date": _l("Due date"),
    "planned_delivery": _l("Planned delivery"), "done_on": _l("Done on"), "percent": _l("Percent"),
    "customer_id": _l("Customer"), "contact_id": _l("Contact"), "contract_id": _l("Contract"),
    "opportunity_id": _l("Opportunity"), "product_id": _l("Product"), "template_id": _l("Template"),
    "responsible_id": _l("Responsible"), "user_id": _l("User"), "engineer_id": _l("Engineer"), "cost": _l("Cost"),
    "hours": _l("Hours"), "year": _l("Year"), "starts_on": _l("First day"), "ends_on": _l("Last day"),
    "starts_at": _l("Start"), "work_start": _l("Working hours start"), "work_end": _l("Working hours end"),
}
"""How the order and service forms' fields are named in refusals (others: their name, readable)."""


def _label(name: str) -> str:
    """A field's name in a refusal: its label, the row of a repeated field (``percent_2``) named too."""
    base, _sep, row = name.rpartition("_")
    if row.isdigit() and base:
        return _("%(field)s (row %(row)s)", field=_label(base), row=row)
    label = FIELD_LABELS.get(name)
    return str(label) if label is not None else name.replace("_", " ").capitalize()


def _column(attribute: Any) -> Any:
    """The table column behind a mapped attribute such as ``Opportunity.amount``."""
    return attribute.property.columns[0]


@contextmanager
def refusals() -> Iterator[None]:
    """Show a refused change (:class:`OrderError`) as a flashed message and roll the request back."""
    try:
        yield
    except OrderError as exc:
        db.session().rollback()
        flash(str(exc), "danger")


def owner_ids() -> set[int] | None:
    """Whose records the current user may see (None: everyone's)."""
    return visible_owner_ids(db.session(), current_user.user)


def visible(owner_id: int | None) -> bool:
    """Whether a record owned by ``owner_id`` is in the current user's data scope."""
    scope = owner_ids()
    return scope is None or owner_id in scope


def visible_customers() -> list[Customer]:
    """The customers in the current user's data scope, by company name."""
    return customers_in_scope(db.session(), owner_ids())


def require_visible(owner_id: int | None) -> None:
    """404 for a record outside the current user's data scope."""
    if not visible(owner_id):
        abort(404)
