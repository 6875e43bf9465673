"""The key figure of a worklist row: each process declares which figure of its record says what a task is about.

A process's record (contract, tender, service order, ...) carries the id of the instance that handles it in an
indexed column, so the figure is a correlated subquery on that index inside the worklist's one row query: no
workflow state is loaded, no query runs per row.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import ColumnElement, ScalarSelect, case, func, select

from crm import formatting
from crm.customers.service_plans import ServicePlan
from crm.orders.contracts import Contract
from crm.orders.payments import PaymentPlanLine
from crm.sales.expenses import ExpenseClaim, ExpenseLine
from crm.sales.tenders import Tender
from crm.sales.visits import Reception, Visit
from crm.service.service_desk import ServiceOrder
from engine.models import HumanTask
from i18n import _l


@dataclass(frozen=True)
class KeyFigure:
    """A process's key figure: its label, its unit ("money" or "hours") and the SQL that reads it for a task."""

    label: str
    unit: str
    value: ScalarSelect


def _sum(column, instance_column, *joins) -> ScalarSelect:
    query = select(func.sum(column))
    for target in joins:
        query = query.join(target)
    return query.where(instance_column == HumanTask.instance_id).correlate(HumanTask).scalar_subquery()


KEY_FIGURES: dict[str, KeyFigure] = {
    "contract_approval": KeyFigure(_l("Amount"), "money", _sum(Contract.amount, Contract.approval_instance_id)),
    "payment_collection": KeyFigure(_l("Amount"), "money",
                                    _sum(PaymentPlanLine.amount, PaymentPlanLine.collection_instance_id)),
    "bidding": KeyFigure(_l("Estimated value"), "money", _sum(Tender.estimated_value, Tender.instance_id)),
    "customer_visit": KeyFigure(_l("Budget"), "money", _sum(Visit.budget, Visit.instance_id)),
    "customer_reception": KeyFigure(_l("Budget"), "money", _sum(Reception.budget, Reception.instance_id)),
    "relationship_maintenance": KeyFigure(_l("Budget"), "money", _sum(ServicePlan.budget, ServicePlan.instance_id)),
    "expense_reimbursement": KeyFigure(_l("Amount"), "money",
                                       _sum(ExpenseLine.amount, ExpenseClaim.instance_id, ExpenseLine.claim)),
    "service_request": KeyFigure(_l("Planned hours"), "hours",
                                 _sum(ServiceOrder.planned_hours, ServiceOrder.instance_id)),
}
"""Process key -> its key figure (a process not named here shows none)."""


def key_figure_column() -> ColumnElement[Decimal | None]:
    """The key figure of a ``HumanTask`` row by its process (NULL when it has none or its record has no value)."""
    return case(*((HumanTask.process_key == key, figure.value) for key, figure in KEY_FIGURES.items()),
                else_=None)


HUNDREDTH = Decimal("0.01")


@dataclass(frozen=True)
class About:
    """What a listed task is about: its customer's name and its process's key figure (each may be missing)."""

    customer: str | None = None
    figure: Decimal | None = None
    label: str = ""
    unit: str = ""

    @classmethod
    def of(cls, process_key: str, customer: str | None, figure: Decimal | None) -> About:
        """From a row's customer name and figure value (to the hundredth: a sum may come back with more places)."""
        declared, number = KEY_FIGURES.get(process_key), formatting.as_decimal(figure)
        if declared is None or number is None:
            return cls(customer)
        return cls(customer, number.quantize(HUNDREDTH, rounding=ROUND_HALF_UP), str(declared.label), declared.unit)
