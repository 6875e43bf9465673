"""Changes of a service order through the API: the fields an outside system may correct (skill, planned hours,
fee, work and materials), never one that a waiting step of the order's process enters (409 naming the step) and
never on a settled or cancelled order."""

from __future__ import annotations

from collections.abc import Mapping

from crm import field_checks as check
from crm.service.service_desk import ServiceOrder
from engine.errors import Conflict
from i18n import _
from services.service.order_steps import fields_of_waiting_steps
from web import db
from web.api.records.writes import invalid, locked

EDITABLE = ("required_skill", "planned_hours", "fee_quote", "labour_hours", "materials_cost", "materials_note",
            "work_report")
CLOSED = ("settled", "cancelled")
TEXT_MAX = 4000


def order_fields(order: ServiceOrder) -> dict[str, object]:
    return {name: getattr(order, name) for name in EDITABLE}


def _values(form: Mapping[str, str], errors: check.FieldErrors) -> dict[str, object]:
    values = {"required_skill": check.text(form, "required_skill", errors, max_length=50),
              "planned_hours": check.quantity(form, "planned_hours", errors),
              "fee_quote": check.money(form, "fee_quote", errors),
              "materials_cost": check.money(form, "materials_cost", errors),
              "materials_note": check.text(form, "materials_note", errors, max_length=TEXT_MAX),
              "work_report": check.text(form, "work_report", errors, max_length=TEXT_MAX)}
    if str(form.get("labour_hours") or "").strip():
        values["labour_hours"] = check.quantity(form, "labour_hours", errors)
    else:
        values["labour_hours"] = None
    return values


def update_order(session, order: ServiceOrder, form: Mapping[str, str], version: int, _me, _scope) -> None:
    errors = check.FieldErrors()
    values = _values(form, errors)
    if errors:
        raise invalid(errors)
    if order.status in CLOSED:
        raise Conflict(_("Service order %(number)s is %(status)s: it no longer changes.", number=order.number,
                         status=order.status))
    changed = [name for name, value in values.items() if value != getattr(order, name)]
    steps = fields_of_waiting_steps(session, db.platform().forms, order)
    for name in changed:
        if name in steps:
            raise Conflict(_("%(field)s is entered in the step “%(step)s” of process #%(id)s, which is waiting for "
                             "it now: enter it there.", field=name, step=steps[name], id=order.instance_id))
    locked(session, order, version)
    for name in changed:
        setattr(order, name, values[name])
