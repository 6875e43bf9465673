"""The record lists of the CRM as :class:`services.listing.ListSpec`: columns, filters, who may open them and
whose rows they show (the same data scope as each record's own page)."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import aliased

from crm.accounts.users import User
from crm.customers.models import GRADE_LABELS, Contact, Customer
from crm.orders.contracts import CONTRACT_STATUSES, Contract
from crm.orders.payments import PaymentPlan, PaymentPlanLine
from crm.orders.projects import STAGES as PROJECT_STAGES
from crm.orders.projects import Project
from crm.orders.quotes import QUOTE_STATUSES, Quote
from crm.sales.opportunities import STAGES as OPPORTUNITY_STAGES
from crm.sales.opportunities import Opportunity
from crm.service.service_desk import REQUEST_STATUSES, ServiceOrder, ServiceRequest
from engine.models import INSTANCE_STATUSES, ProcessInstance
from i18n import _l, _lp
from services.listing import Column, ListSpec

SALES = frozenset({"salesperson", "customer_director", "sales_director", "administrator"})
FINANCE = frozenset({"finance", "customer_director", "sales_director", "administrator"})
SERVICE = frozenset({"service_agent", "engineer", "customer_director", "finance", "administrator"})
EVERYONE = frozenset()
"""Empty: every signed-in user."""

ORDER_STATUSES = ("awaiting_confirmation", "confirmed", "scheduled", "in_service", "done", "cancelled")


STATUS_LABELS = {
    "draft": _l("Draft"), "sent": _l("Sent"), "accepted": _l("Accepted"), "rejected": _l("Rejected"),
    "superseded": _l("Superseded"), "in_approval": _l("In approval"), "active": _l("Active"),
    "terminated": _l("Terminated"), "expired": _l("Expired"), "bid": _l("Bid"), "signed": _l("Signed"),
    "design": _l("Design"), "production": _l("Production"), "delivery": _l("Delivery"), "warranty": _l("Warranty"),
    "closed": _l("Closed"), "new": _l("New"), "classified": _l("Classified"), "in_service": _l("In service"),
    "resolved": _l("Resolved"), "cancelled": _l("Cancelled"), "running": _l("Running"), "waiting": _l("Waiting"),
    "completed": _l("Completed"), "error": _l("Error"), "suspended": _l("Suspended"), "open": _l("Open"),
    "won": _l("Won"), "lost": _l("Lost"), "partially_paid": _l("Partially paid"), "settled": _l("Settled"),
    "overdue": _l("Overdue"), "awaiting_confirmation": _l("Awaiting confirmation"), "confirmed": _l("Confirmed"),
    "scheduled": _l("Scheduled"), "done": _l("Done"),
}
"""How the listed records' stored statuses and stages read."""


def _labels(keys) -> dict[str, object]:
    return {key: STATUS_LABELS.get(key, key.replace("_", " ").capitalize()) for key in keys}


STAGE_LABELS = {str(s.number): _l("%(number)s · %(label)s", number=s.number, label=s.label)
                for s in OPPORTUNITY_STAGES}
"""Opportunity stages as the list shows them (``3 · Visit & first survey``)."""

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
    ListSpec("customers", _l("Customers"), EVERYONE, _customers, (
        Column("id", "#", Customer.id, "number"),
        Column("company", _l("Company"), Customer.company, filter="contains", sort=Customer.name_pinyin),
        Column("industry", _l("Industry"), Customer.industry, filter="contains"),
        Column("region", _l("Region"), Customer.region, filter="contains"),
        Column("grade", _l("Grade"), Customer.grade, "label", dict(GRADE_LABELS), "choice"),
        Column("phone", _l("Phone"), Customer.phone, filter="contains"),
        Column("owner", _l("Owner"), Owner.display_name, filter="contains"),
        Column("created_at", _l("Created"), Customer.created_at, "datetime"),
    ), "company", ("customers.show", "customer_id", "id"), default_desc=False),
    ListSpec("contacts", _l("Contacts"), EVERYONE, _contacts, (
        Column("id", "#", Contact.id, "number"),
        Column("name", _lp("person", "Name"), Contact.name, filter="contains", sort=Contact.name_pinyin),
        Column("title", _l("Title"), Contact.title, filter="contains"),
        Column("company", _l("Customer"), Customer.company, filter="contains"),
        Column("phone", _l("Phone"), Contact.phone, filter="contains"),
        Column("mobile", _l("Mobile"), Contact.mobile, filter="contains"),
        Column("email", _l("E-mail"), Contact.email, filter="contains"),
    ), "name", ("customers.show", "customer_id", "customer_id"), default_desc=False),
    ListSpec("opportunities", _l("Opportunities"), EVERYONE, _opportunities, (
        Column("id", "#", Opportunity.id, "number"),
        Column("name", _l("Title"), Opportunity.name, filter="contains"),
        Column("company", _l("Customer"), Customer.company, filter="contains"),
        Column("stage", _l("Stage"), Opportunity.stage, "label", STAGE_LABELS),
        Column("status", _l("Status"), Opportunity.status, "label", _labels(("open", "won", "lost")), "choice"),
        Column("amount", _l("Amount"), Opportunity.amount, "money"),
        Column("expected_close", _l("Expected close"), Opportunity.expected_close, "date"),
        Column("owner", _l("Owner"), Owner.display_name, filter="contains"),
    ), "id", ("opportunities.show", "opp_id", "id")),
    ListSpec("quotes", _l("Quotes"), SALES, _quotes, (
        Column("id", "#", Quote.id, "number"),
        Column("number", _l("Number"), Quote.number, filter="contains"),
        Column("title", _l("Title"), Quote.title, filter="contains"),
        Column("company", _l("Customer"), Customer.company, filter="contains"),
        Column("status", _l("Status"), Quote.status, "label", _labels(QUOTE_STATUSES), "choice"),
        Column("valid_until", _l("Valid until"), Quote.valid_until, "date"),
        Column("created_at", _l("Created"), Quote.created_at, "datetime"),
    ), "id", ("quotes.show", "quote_id", "id")),
    ListSpec("contracts", _l("Contracts"), SALES | {"finance"}, _contracts, (
        Column("id", "#", Contract.id, "number"),
        Column("number", _l("Number"), Contract.number, filter="contains"),
        Column("title", _l("Title"), Contract.title, filter="contains"),
        Column("company", _l("Customer"), Customer.company, filter="contains"),
        Column("status", _l("Status"), Contract.status, "label", _labels(CONTRACT_STATUSES), "choice"),
        Column("amount", _l("Amount"), Contract.amount, "money"),
        Column("start_date", _l("Start"), Contract.start_date, "date"),
        Column("end_date", _l("End"), Contract.end_date, "date"),
    ), "id", ("contracts.show", "contract_id", "id")),
    ListSpec("projects", _l("Projects"), SALES, _projects, (
        Column("id", "#", Project.id, "number"),
        Column("number", _l("Number"), Project.number, filter="contains"),
        Column("name", _l("Name"), Project.name, filter="contains"),
        Column("company", _l("Customer"), Customer.company, filter="contains"),
        Column("stage", _l("Stage"), Project.stage, "label", _labels(PROJECT_STAGES), "choice"),
        Column("progress_percent", _l("Progress"), Project.progress_percent, "percent"),
        Column("planned_delivery", _l("Planned delivery"), Project.planned_delivery, "date"),
    ), "id", ("projects.show", "project_id", "id")),
    ListSpec("payments", _l("Payments due"), FINANCE, _payments, (
        Column("id", "#", PaymentPlanLine.id, "number"),
        Column("title", _l("Plan"), PaymentPlan.title, filter="contains"),
        Column("company", _l("Customer"), Customer.company, filter="contains"),
        Column("label", _l("Instalment"), PaymentPlanLine.label, filter="contains"),
        Column("due_date", _l("Due"), PaymentPlanLine.due_date, "date"),
        Column("amount", _l("Amount"), PaymentPlanLine.amount, "money"),
        Column("paid_amount", _l("Paid"), PaymentPlanLine.paid_amount, "money"),
        Column("status", _l("Status"), PaymentPlanLine.status, "label",
               _labels(("open", "partially_paid", "settled", "overdue")), "choice"),
    ), "due_date", ("payments.plan", "plan_id", "plan_id"), default_desc=False),
    ListSpec("service_requests", _l("Service requests"), SERVICE, _service_requests, (
        Column("id", "#", ServiceRequest.id, "number"),
        Column("number", _l("Number"), ServiceRequest.number, filter="contains"),
        Column("company", _l("Customer"), Customer.company, filter="contains"),
        Column("request_type", _l("Type"), ServiceRequest.request_type, "label", {}, "contains"),
        Column("urgency", _l("Urgency"), ServiceRequest.urgency, "label", {}),
        Column("status", _l("Status"), ServiceRequest.status, "label", _labels(REQUEST_STATUSES), "choice"),
        Column("created_at", _l("Received"), ServiceRequest.created_at, "datetime"),
    ), "id", ("service.show", "request_id", "id")),
    ListSpec("service_orders", _l("Service orders"), SERVICE, _service_orders, (
        Column("id", "#", ServiceOrder.id, "number"),
        Column("number", _l("Number"), ServiceOrder.number, filter="contains"),
        Column("company", _l("Customer"), Customer.company, filter="contains"),
        Column("status", _l("Status"), ServiceOrder.status, "label", _labels(ORDER_STATUSES), "choice"),
        Column("planned_hours", _l("Planned hours"), ServiceOrder.planned_hours, "hours"),
        Column("scheduled_start", _l("Scheduled"), ServiceOrder.scheduled_start, "datetime"),
    ), "id", ("service.show", "request_id", "request_id")),
    ListSpec("instances", _l("Process instances"), frozenset({"administrator"}), _instances, (
        Column("id", "#", ProcessInstance.id, "number"),
        Column("process_key", _l("Process"), ProcessInstance.process_key, filter="contains"),
        Column("title", _l("Title"), ProcessInstance.title, filter="contains"),
        Column("company", _l("Customer"), Customer.company, filter="contains"),
        Column("status", _l("Status"), ProcessInstance.status, "label", _labels(INSTANCE_STATUSES), "choice"),
        Column("started_by", _l("Started by"), ProcessInstance.started_by, filter="contains"),
        Column("started_at", _l("Started"), ProcessInstance.started_at, "datetime"),
        Column("updated_at", _l("Last change"), ProcessInstance.updated_at, "datetime"),
    ), "id", ("admin_instances.show", "instance_id", "id")),
)}
"""Every list by its name (the URL's ``/lists/<name>``)."""
