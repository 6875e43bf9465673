"""The registry of context views: which record a user task is about (its ``context`` property) and how to show it.

Each kind has one small builder in its area (``services/<area>/task_context.py``) that reads the record
named in the task data and returns :func:`services.context_views.context_view` data.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy.orm import Session

from i18n import _
from services.context_views import context_view
from services.customers import task_context as customers
from services.orders import task_context as orders
from services.quality import task_context as quality_context
from services.reporting import periodic_context
from services.sales import task_context as sales
from services.service import task_context as service

ContextBuilder = Callable[[Session, Mapping[str, Any]], dict]

VIEWS: dict[str, ContextBuilder] = {
    "contract": orders.contract,
    "payment": orders.payment,
    "service_order": service.service_order,
    "visit": sales.visit,
    "reception": sales.reception,
    "tender": sales.tender,
    "opportunity": sales.opportunity,
    "expense_claim": sales.expense_claim,
    "customer": customers.customer,
    "sales_report": periodic_context.sales_report,
    "quality_batch": quality_context.quality_batch,
}
"""Context kinds a BPMN may name, with their builders."""


def build_context(session: Session, kind: str | None, data: Mapping[str, Any]) -> dict | None:
    """The context panel of a task declaring ``kind`` (None when it declares none)."""
    if not kind:
        return None
    builder = VIEWS.get(kind)
    if builder is None:
        return context_view(kind, _("Unknown context kind %(kind)r", kind=kind), [])
    return builder(session, data)
