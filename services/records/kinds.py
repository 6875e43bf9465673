"""Each record kind of the REST API: its model, the column that decides the data scope (the same owner rule as the
pages: :func:`crm.accounts.access.visible_owner_ids`), what it may be filtered and sorted by, and its change time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from crm.customers.models import Contact, Customer
from crm.orders.catalog import Product
from crm.orders.contracts import Contract
from crm.orders.payments import Payment, PaymentPlan
from crm.orders.quotes import Quote
from crm.sales.activities import Activity
from crm.sales.opportunities import Opportunity
from crm.service.service_desk import ServiceOrder, ServiceRequest

OwnerScope = set[int] | None
"""Owner ids whose records a user sees (None: everyone's), as :func:`visible_owner_ids` answers."""


@dataclass(frozen=True)
class RecordKind:
    """How one kind of record is found, scoped, filtered and sorted."""

    model: type
    changed: Any
    """When a row last changed (``updated_since`` and the ``updated`` sort)."""
    owner: Any = None
    """The owner column the data scope applies to (None: the kind has no owner rule, e.g. products)."""
    via_customer: bool = False
    """The owner is the record's customer's owner (contacts, activities, payment plans)."""
    sorts: dict[str, Any] = field(default_factory=dict)
    filters: dict[str, tuple[Any, Callable[[str], Any]]] = field(default_factory=dict)
    """Query argument -> (column, parser of the argument's text)."""

    def base(self) -> Select:
        query = select(self.model)
        if self.via_customer:
            query = query.join(Customer, Customer.id == self.model.customer_id)
        return query

    def in_scope(self, query: Select, scope: OwnerScope) -> Select:
        """``query`` narrowed to the rows a viewer of ``scope`` may see."""
        column = Customer.owner_id if self.via_customer else self.owner
        if scope is None or column is None:
            return query
        return query.where(column.in_(scope))


def _flag(text: str) -> bool:
    if text.lower() in ("1", "true", "yes"):
        return True
    if text.lower() in ("0", "false", "no"):
        return False
    raise ValueError("true or false")


def _id(text: str) -> int:
    if not text.isdecimal() or not 0 < int(text) <= 2**31 - 1:
        raise ValueError(text)
    return int(text)


def _text(text: str) -> str:
    return text


KINDS: dict[str, RecordKind] = {
    "customers": RecordKind(
        Customer, owner=Customer.owner_id, changed=Customer.updated_at,
        sorts={"id": Customer.id, "company": Customer.company, "updated": Customer.updated_at},
        filters={"grade": (Customer.grade, _text), "industry": (Customer.industry, _text),
                 "region": (Customer.region, _text), "owner_id": (Customer.owner_id, _id),
                 "active": (Customer.active, _flag), "registry_number": (Customer.registry_number, _text)}),
    "contacts": RecordKind(
        Contact, via_customer=True, changed=func.coalesce(Contact.updated_at, Contact.created_at),
        sorts={"id": Contact.id, "name": Contact.name,
               "updated": func.coalesce(Contact.updated_at, Contact.created_at)},
        filters={"customer_id": (Contact.customer_id, _id), "active": (Contact.active, _flag)}),
    "opportunities": RecordKind(
        Opportunity, owner=Opportunity.owner_id,
        changed=func.coalesce(Opportunity.updated_at, Opportunity.created_at),
        sorts={"id": Opportunity.id, "name": Opportunity.name, "stage": Opportunity.stage,
               "updated": func.coalesce(Opportunity.updated_at, Opportunity.created_at)},
        filters={"customer_id": (Opportunity.customer_id, _id), "status": (Opportunity.status, _text),
                 "stage": (Opportunity.stage, _id), "owner_id": (Opportunity.owner_id, _id)}),
    "activities": RecordKind(
        Activity, via_customer=True, changed=Activity.updated_at,
        sorts={"id": Activity.id, "updated": Activity.updated_at},
        filters={"customer_id": (Activity.customer_id, _id), "status": (Activity.status, _text),
                 "kind": (Activity.kind, _text), "opportunity_id": (Activity.opportunity_id, _id)}),
    "products": RecordKind(
        Product, changed=Product.updated_at,
        sorts={"id": Product.id, "code": Product.code, "name": Product.name, "updated": Product.updated_at},
        filters={"kind": (Product.kind, _text), "active": (Product.active, _flag)}),
    "quotes": RecordKind(
        Quote, owner=Quote.owner_id, changed=func.coalesce(Quote.updated_at, Quote.created_at),
        sorts={"id": Quote.id, "updated": func.coalesce(Quote.updated_at, Quote.created_at)},
        filters={"customer_id": (Quote.customer_id, _id), "status": (Quote.status, _text),
                 "opportunity_id": (Quote.opportunity_id, _id)}),
    "contracts": RecordKind(
        Contract, owner=Contract.owner_id, changed=Contract.updated_at,
        sorts={"id": Contract.id, "updated": Contract.updated_at},
        filters={"customer_id": (Contract.customer_id, _id), "status": (Contract.status, _text)}),
    "payment-plans": RecordKind(
        PaymentPlan, via_customer=True, changed=PaymentPlan.updated_at,
        sorts={"id": PaymentPlan.id, "updated": PaymentPlan.updated_at},
        filters={"customer_id": (PaymentPlan.customer_id, _id), "contract_id": (PaymentPlan.contract_id, _id)}),
    "payments": RecordKind(
        Payment, via_customer=True, changed=Payment.created_at,
        sorts={"id": Payment.id, "received_on": Payment.received_on, "updated": Payment.created_at},
        filters={"customer_id": (Payment.customer_id, _id), "plan_line_id": (Payment.plan_line_id, _id)}),
    "service-requests": RecordKind(
        ServiceRequest, changed=ServiceRequest.updated_at,
        sorts={"id": ServiceRequest.id, "updated": ServiceRequest.updated_at},
        filters={"customer_id": (ServiceRequest.customer_id, _id), "status": (ServiceRequest.status, _text)}),
    "service-orders": RecordKind(
        ServiceOrder, changed=ServiceOrder.updated_at,
        sorts={"id": ServiceOrder.id, "updated": ServiceOrder.updated_at},
        filters={"customer_id": (ServiceOrder.customer_id, _id), "status": (ServiceOrder.status, _text)}),
}
"""Record kinds by their URL name."""


def visible_record(session: Session, name: str, record_id: int, scope: OwnerScope):
    """The record of kind ``name`` with ``record_id`` if the viewer of ``scope`` may see it, else None."""
    kind = KINDS[name]
    if not 0 < record_id <= 2**31 - 1:
        return None
    query = kind.in_scope(kind.base().where(kind.model.id == record_id), scope)
    return session.scalar(query)

