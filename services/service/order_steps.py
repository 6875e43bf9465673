"""Which fields of a service order its process enters at the step that waits now: a change from outside (the API)
must not overwrite what that step is about to ask for."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.service.service_desk import ServiceOrder
from engine.models import HumanTask
from services.processes import labels
from services.processes.form_catalog import FormCatalog


def fields_of_waiting_steps(session: Session, catalog: FormCatalog, order: ServiceOrder) -> dict[str, str]:
    """Field id -> the title (in the reader's language) of a ready task of the order's process whose form has it."""
    if not order.instance_id:
        return {}
    rows = list(session.scalars(select(HumanTask).where(HumanTask.instance_id == order.instance_id,
                                                        HumanTask.status == "ready").order_by(HumanTask.created_at)))
    labels.show(session, rows)
    found: dict[str, str] = {}
    for row in rows:
        form = catalog.task_form(row.instance.version, row.task_name)
        for field in form.fields if form else ():
            found.setdefault(field.id, row.title)
    return found
