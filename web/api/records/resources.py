"""The resources of the records API: URL name, path argument, answer schema, who may read and write, and how a
body becomes a create, an update or a deactivation (:mod:`web.api.records.writes`). The routes
(:mod:`web.api.records.routes`) and the OpenAPI paths (:mod:`web.api.records.docs`) are both made from this list."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pydantic import BaseModel

from web.api.records import order_writes, schemas, service_writes, writes
from web.customers.records import EDITORS as CUSTOMER_EDITORS
from web.input import FINANCE_ROLES, SALES_ROLES, SERVICE_ROLES
from web.orders.contracts import VIEW_ROLES as CONTRACT_ROLES
from web.sales.opportunities import EDITORS as OPPORTUNITY_EDITORS

PRODUCT_EDITORS = ("information_officer", "administrator")
"""Who keeps the catalogue (the information officer keeps the base data, and imports products too)."""
PAYMENT_RECORDERS = ("finance", "administrator")
"""Who records money received (as on the payment plan page)."""
SERVICE_ORDER_EDITORS = ("service_agent", "customer_director", "administrator")
"""Who corrects a service order from outside its process (the desk and its director)."""


@dataclass(frozen=True)
class Resource:
    """One kind of record as the API serves it (``name`` is also its :data:`services.records.kinds.KINDS` key)."""

    name: str
    arg: str
    """The path argument naming one record, e.g. ``customer_id``."""
    title: str
    out: type[BaseModel]
    read_roles: tuple[str, ...] | None = None
    """Roles that may read (None: every signed-in user; the data scope still applies)."""
    write_roles: tuple[str, ...] = ()
    create_in: type[BaseModel] | None = None
    update_in: type[BaseModel] | None = None
    create: Callable | None = None
    """(session, form, user, scope) -> the new record."""
    current: Callable | None = None
    """The record's current values under its form's names: an update body is laid over them."""
    update: Callable | None = None
    deactivate: Callable | None = None
    versioned: bool = False
    """Has a version column: answers carry an ETag and updates need If-Match."""


RESOURCES: tuple[Resource, ...] = (
    Resource("customers", "customer_id", "customer", schemas.CustomerOut, write_roles=CUSTOMER_EDITORS,
             create_in=schemas.CustomerIn, create=writes.create_customer,
             update_in=schemas.CustomerIn, current=writes.customer_form, update=writes.update_customer,
             deactivate=writes.deactivate_customer, versioned=True),
    Resource("contacts", "contact_id", "contact", schemas.ContactOut, write_roles=CUSTOMER_EDITORS,
             create_in=schemas.ContactIn, create=writes.create_customer_contact,
             update_in=schemas.ContactIn, current=writes.contact_form, update=writes.update_contact,
             deactivate=writes.deactivate_contact, versioned=True),
    Resource("opportunities", "opp_id", "opportunity", schemas.OpportunityOut, write_roles=OPPORTUNITY_EDITORS,
             create_in=schemas.OpportunityIn, create=writes.create_opportunity,
             update_in=schemas.OpportunityIn, current=writes.opportunity_fields, update=writes.update_opportunity,
             versioned=True),
    Resource("activities", "activity_id", "activity", schemas.ActivityOut, write_roles=CUSTOMER_EDITORS,
             create_in=schemas.ActivityIn, create=writes.log_activity,
             update_in=schemas.ActivityUpdate, current=writes.activity_fields, update=writes.update_activity,
             versioned=True),
    Resource("products", "product_id", "product", schemas.ProductOut, write_roles=PRODUCT_EDITORS,
             create_in=schemas.ProductIn, create=order_writes.create_product,
             update_in=schemas.ProductIn, current=order_writes.product_fields, update=order_writes.update_product,
             deactivate=order_writes.deactivate_product, versioned=True),
    Resource("quotes", "quote_id", "quote", schemas.QuoteOut, read_roles=SALES_ROLES, write_roles=SALES_ROLES,
             create_in=schemas.QuoteIn, create=writes.create_quote,
             update_in=schemas.QuoteIn, current=writes.quote_terms, update=writes.update_quote, versioned=True),
    Resource("contracts", "contract_id", "contract", schemas.ContractOut, read_roles=CONTRACT_ROLES,
             write_roles=SALES_ROLES, create_in=schemas.ContractIn, create=order_writes.create_contract,
             update_in=schemas.ContractIn, current=order_writes.contract_fields, update=order_writes.update_contract,
             deactivate=order_writes.cancel_contract, versioned=True),
    Resource("payment-plans", "plan_id", "payment plan", schemas.PaymentPlanOut,
             read_roles=(*SALES_ROLES, *FINANCE_ROLES), write_roles=(*SALES_ROLES, *FINANCE_ROLES),
             create_in=schemas.PaymentPlanIn, create=order_writes.create_plan,
             update_in=schemas.PaymentPlanUpdate, current=order_writes.plan_fields, update=order_writes.update_plan,
             versioned=True),
    Resource("payments", "payment_id", "payment", schemas.PaymentOut, read_roles=(*SALES_ROLES, *FINANCE_ROLES),
             write_roles=PAYMENT_RECORDERS, create_in=schemas.PaymentIn, create=order_writes.record_payment),
    Resource("service-requests", "request_id", "service request", schemas.ServiceRequestOut,
             read_roles=SERVICE_ROLES, write_roles=(*SERVICE_ROLES, "integration"), create_in=schemas.ServiceRequestIn),
    Resource("service-orders", "order_id", "service order", schemas.ServiceOrderOut, read_roles=SERVICE_ROLES,
             write_roles=SERVICE_ORDER_EDITORS, update_in=schemas.ServiceOrderUpdate,
             current=service_writes.order_fields, update=service_writes.update_order, versioned=True),
)
BY_NAME = {resource.name: resource for resource in RESOURCES}
