"""Drive the order and service processes over HTTP, filling every form from its definition alone."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from tests.support.api_driver import picked_value

SERVICE_FILES = ("service_request.bpmn", "service_policy.dmn", "customer_grade_terms.dmn")
"""The service process and the decision tables that price it."""
ORDER_FILES = ("contract_approval.bpmn", "contract_approval_route.dmn", "payment_collection.bpmn", *SERVICE_FILES)


def next_monday(at: dt.time = dt.time(10, 0)) -> dt.datetime:
    """A working-hours slot in the future: next Monday at ``at``."""
    today = dt.date.today()
    return dt.datetime.combine(today + dt.timedelta(days=7 - today.weekday()), at)


def value_for(field: dict, user) -> object:
    """A valid JSON value for ``field`` from its definition: type, options, bounds, reference kind."""
    kind, low, high = field["type"], field["min"], field["max"]
    if kind in ("string", "text"):
        return "Filled in from the form definition"
    if kind == "integer":
        return low if low is not None else 1
    if kind == "decimal":
        value = Decimal(low) + 1 if low is not None else Decimal(1)
        return str(min(value, Decimal(high)) if high is not None else value)
    if kind == "date":
        return dt.date.today().isoformat()
    if kind == "datetime":
        return next_monday().isoformat(timespec="minutes")
    return picked_value(field, user)


def location_id(response) -> int:
    """The record id at the end of a redirect's Location (``/contracts/7`` -> 7)."""
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[-1])
