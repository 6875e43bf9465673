"""The record lists of the CRM as :class:`services.listing.ListSpec`: columns, filters, who may open them and
whose rows they show (the same data scope as each record's own page)."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import aliased

from crm.accounts.users import User
from crm.customers.models import GRADES, Contact, Customer
from crm.orders.contracts import CONTRACT_STATUSES, Contract
from crm.orders.payments import PaymentPlan, PaymentPlanLine
from crm.orders.projects import STAGES as PROJECT_STAGES
from crm.orders.projects import Project
from crm.orders.quotes import QUOTE_STATUSES, Quote
from crm.sales.opportunities import STAGES as OPPORTUNITY_STAGES
from crm.sales.opportunities import Opportunity
from crm.service.service_desk import REQUEST_STATUSES, ServiceOrder, ServiceRequest
from engine.models import INSTANCE_STATUSES, ProcessInstance
from services.listing import Column, ListSpec

SALES = frozenset({"salesperson", "customer_director", "sales_director", "administrator"})
FINANCE = frozenset({"finance", "customer_director", "sales_director", "administrator"})
SERVICE = frozenset({"service_agent", "engineer", "customer_director", "finance", "administrator"})
EVERYONE = frozenset()
"""Empty: every signed-in user."""

ORDER_STATUSES = ("awaiting_confirmation", "confirmed", "scheduled", "in_service", "done", "cancelled")


def _labels(keys) -> dict[str, str]:
    return {key: key.replace("_", " ").capitalize() for key in keys}


Owner = aliased(User)


def _by_owner(statement: Select, owner_column, scope: set[int] | None) -> Select:
    return statement if scope is None else statement.where(owner_column.in_(scope))


def _customers(scope):
    return _by_owner(select(Customer.id, Customer.company, Customer.industry, Customer.region, Customer.grade,
                            Customer.phone, Owner.display_name.label("owner"), Customer.created_at)
                     .outerjoin(Owner, Owner.id == Customer.owner_id), Customer.owner_id, scope)


def _contacts(scope):
    return _by_owner(select(Contact.id, Contact.name, Contact.title, Customer.company, Contact.phone, Contact.mobile,
                            Contact.email, Contact.customer_id).join(Customer, Customer.id == Contact.customer_id),
                     Customer.owner_id, scope)


def _opportunities(scope):
    return _by_owner(select(Opportunity.id, Opportunity.name, Customer.company, Opportunity.stage.label("stage"),
                            Opportunity.status, Opportunity.amount, Opportunity.expected_close,
                            Owner.display_name.label("owner"))
                     .join(Customer, Customer.id == Opportunity.customer_id)
                     .outerjoin(Owner, Owner.id == Opportunity.owner_id), Opportunity.owner_id, scope)


def _quotes(scope):
    return _by_owner(select(Quote.id, Quote.number, Quote.title, Customer.company, Quote.status, Quote.valid_until,
                            Quote.created_at).join(Customer, Customer.id == Quote.customer_id), Quote.owner_id, scope)


def _contracts(scope):
    return _by_owner(select(Contract.id, Contract.number, Contract.title, Customer.company, Contract.status,
                            Contract.amount, Contract.start_date, Contract.end_date)
                     .join(Customer, Customer.id == Contract.customer_id), Contract.owner_id, scope)


def _projects(scope):
    return _by_owner(select(Project.id, Project.number, Project.name, Customer.company, Project.stage,
                            Project.progress_percent, Project.planned_delivery)
                     .join(Customer, Customer.id == Project.customer_id), Customer.owner_id, scope)


def _payments(scope):
    return _by_owner(select(PaymentPlanLine.id, PaymentPlan.id.label("plan_id"), PaymentPlan.title,
                            Customer.company, PaymentPlanLine.label, PaymentPlanLine.due_date, PaymentPlanLine.amount,
                            PaymentPlanLine.paid_amount, PaymentPlanLine.status)
                     .join(PaymentPlan, PaymentPlan.id == PaymentPlanLine.plan_id)
                     .join(Customer, Customer.id == PaymentPlan.customer_id), Customer.owner_id, scope)


def _service_requests(scope):
    return select(ServiceRequest.id, ServiceRequest.number, Customer.company, ServiceRequest.request_type,
                  ServiceRequest.urgency, ServiceRequest.status, ServiceRequest.created_at).join(
        Customer, Customer.id == ServiceRequest.customer_id)


def _service_orders(scope):
    return select(ServiceOrder.id, ServiceOrder.number, ServiceOrder.request_id, Customer.company,
                  ServiceOrder.status, ServiceOrder.planned_hours, ServiceOrder.scheduled_start).join(
        Customer, Customer.id == ServiceOrder.customer_id)


def _instances(scope):
    return select(ProcessInstance.id, ProcessInstance.process_key, ProcessInstance.title, Customer.company,
                  ProcessInstance.status, ProcessInstance.started_by, ProcessInstance.started_at,
                  ProcessInstance.updated_at).outerjoin(Customer, Customer.id == ProcessInstance.customer_id)


SPECS = {spec.name: spec for spec in (
    ListSpec("customers", "Customers", EVERYONE, _customers, (
        Column("id", "#", Customer.id, "number"),
        Column("company", "Company", Customer.company, filter="contains"),
        Column("industry", "Industry", Customer.industry, filter="contains"),
        Column("region", "Region", Customer.region, filter="contains"),
        Column("grade", "Grade", Customer.grade, "label", _labels(GRADES), "choice"),
        Column("phone", "Phone", Customer.phone, filter="contains"),
        Column("owner", "Owner", Owner.display_name, filter="contains"),
        Column("created_at", "Created", Customer.created_at, "datetime"),
    ), "company", ("customers.show", "customer_id", "id"), default_desc=False),
    ListSpec("contacts", "Contacts", EVERYONE, _contacts, (
        Column("id", "#", Contact.id, "number"),
        Column("name", "Name", Contact.name, filter="contains"),
        Column("title", "Title", Contact.title, filter="contains"),
        Column("company", "Customer", Customer.company, filter="contains"),
        Column("phone", "Phone", Contact.phone, filter="contains"),
        Column("mobile", "Mobile", Contact.mobile, filter="contains"),
        Column("email", "E-mail", Contact.email, filter="contains"),
    ), "name", ("customers.show", "customer_id", "customer_id"), default_desc=False),
    ListSpec("opportunities", "Opportunities", EVERYONE, _opportunities, (
        Column("id", "#", Opportunity.id, "number"),
        Column("name", "Title", Opportunity.name, filter="contains"),
        Column("company", "Customer", Customer.company, filter="contains"),
        Column("stage", "Stage", Opportunity.stage, "label", {str(s.number): f"{s.number} · {s.label}"
                                                                for s in OPPORTUNITY_STAGES}),
        Column("status", "Status", Opportunity.status, "label", _labels(("open", "won", "lost")), "choice"),
        Column("amount", "Amount", Opportunity.amount, "money"),
        Column("expected_close", "Expected close", Opportunity.expected_close, "date"),
        Column("owner", "Owner", Owner.display_name, filter="contains"),
    ), "id", ("opportunities.show", "opp_id", "id")),
    ListSpec("quotes", "Quotes", SALES, _quotes, (
        Column("id", "#", Quote.id, "number"),
        Column("number", "Number", Quote.number, filter="contains"),
        Column("title", "Title", Quote.title, filter="contains"),
        Column("company", "Customer", Customer.company, filter="contains"),
        Column("status", "Status", Quote.status, "label", _labels(QUOTE_STATUSES), "choice"),
        Column("valid_until", "Valid until", Quote.valid_until, "date"),
        Column("created_at", "Created", Quote.created_at, "datetime"),
    ), "id", ("quotes.show", "quote_id", "id")),
    ListSpec("contracts", "Contracts", SALES | {"finance"}, _contracts, (
        Column("id", "#", Contract.id, "number"),
        Column("number", "Number", Contract.number, filter="contains"),
        Column("title", "Title", Contract.title, filter="contains"),
        Column("company", "Customer", Customer.company, filter="contains"),
        Column("status", "Status", Contract.status, "label", _labels(CONTRACT_STATUSES), "choice"),
        Column("amount", "Amount", Contract.amount, "money"),
        Column("start_date", "Start", Contract.start_date, "date"),
        Column("end_date", "End", Contract.end_date, "date"),
    ), "id", ("contracts.show", "contract_id", "id")),
    ListSpec("projects", "Projects", SALES, _projects, (
        Column("id", "#", Project.id, "number"),
        Column("number", "Number", Project.number, filter="contains"),
        Column("name", "Name", Project.name, filter="contains"),
        Column("company", "Customer", Customer.company, filter="contains"),
        Column("stage", "Stage", Project.stage, "label", _labels(PROJECT_STAGES), "choice"),
        Column("progress_percent", "Progress", Project.progress_percent, "percent"),
        Column("planned_delivery", "Planned delivery", Project.planned_delivery, "date"),
    ), "id", ("projects.show", "project_id", "id")),
    ListSpec("payments", "Payments due", FINANCE, _payments, (
        Column("id", "#", PaymentPlanLine.id, "number"),
        Column("title", "Plan", PaymentPlan.title, filter="contains"),
        Column("company", "Customer", Customer.company, filter="contains"),
        Column("label", "Instalment", PaymentPlanLine.label, filter="contains"),
        Column("due_date", "Due", PaymentPlanLine.due_date, "date"),
        Column("amount", "Amount", PaymentPlanLine.amount, "money"),
        Column("paid_amount", "Paid", PaymentPlanLine.paid_amount, "money"),
        Column("status", "Status", PaymentPlanLine.status, "label",
               _labels(("open", "partially_paid", "settled", "overdue")), "choice"),
    ), "due_date", ("payments.plan", "plan_id", "plan_id"), default_desc=False),
    ListSpec("service_requests", "Service requests", SERVICE, _service_requests, (
        Column("id", "#", ServiceRequest.id, "number"),
        Column("number", "Number", ServiceRequest.number, filter="contains"),
        Column("company", "Customer", Customer.company, filter="contains"),
        Column("request_type", "Type", ServiceRequest.request_type, "label", {}, "contains"),
        Column("urgency", "Urgency", ServiceRequest.urgency, "label", {}),
        Column("status", "Status", ServiceRequest.status, "label", _labels(REQUEST_STATUSES), "choice"),
        Column("created_at", "Received", ServiceRequest.created_at, "datetime"),
    ), "id", ("service.show", "request_id", "id")),
    ListSpec("service_orders", "Service orders", SERVICE, _service_orders, (
        Column("id", "#", ServiceOrder.id, "number"),
        Column("number", "Number", ServiceOrder.number, filter="contains"),
        Column("company", "Customer", Customer.company, filter="contains"),
        Column("status", "Status", ServiceOrder.status, "label", _labels(ORDER_STATUSES), "choice"),
        Column("planned_hours", "Planned hours", ServiceOrder.planned_hours, "hours"),
        Column("scheduled_start", "Scheduled", ServiceOrder.scheduled_start, "datetime"),
    ), "id", ("service.show", "request_id", "request_id")),
    ListSpec("instances", "Process instances", frozenset({"administrator"}), _instances, (
        Column("id", "#", ProcessInstance.id, "number"),
        Column("process_key", "Process", ProcessInstance.process_key, filter="contains"),
        Column("title", "Title", ProcessInstance.title, filter="contains"),
        Column("company", "Customer", Customer.company, filter="contains"),
        Column("status", "Status", ProcessInstance.status, "label", _labels(INSTANCE_STATUSES), "choice"),
        Column("started_by", "Started by", ProcessInstance.started_by, filter="contains"),
        Column("started_at", "Started", ProcessInstance.started_at, "datetime"),
        Column("updated_at", "Last change", ProcessInstance.updated_at, "datetime"),
    ), "id", ("admin_instances.show", "instance_id", "id")),
)}
"""Every list by its name (the URL's ``/lists/<name>``)."""
