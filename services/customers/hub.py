"""The customer page as the hub: everything about one customer, by section, and the processes that can be
started for it (with the customer filled in)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from crm.customers.models import Customer
from crm.files import StoredFile
from crm.orders.contracts import Contract
from crm.orders.payments import PaymentPlan, PaymentPlanLine
from crm.orders.projects import Project
from crm.orders.quotes import Quote
from crm.sales.opportunities import Opportunity
from crm.service.service_desk import ServiceRequest
from engine.models import HumanTask, ProcessInstance, ProcessVersion
from engine.runtime import Actor, ProcessEngine
from services.processes import labels
from services.processes.form_catalog import FormCatalog
from services.processes.tasks import startable_versions

LIMIT = 100
"""Rows per section (the lists of each kind page on)."""


@dataclass
class Hub:
    customer: Customer
    opportunities: list[Opportunity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    contracts: list[Contract] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    payment_plans: list[PaymentPlan] = field(default_factory=list)
    open_receivables: list[PaymentPlanLine] = field(default_factory=list)
    service_requests: list[ServiceRequest] = field(default_factory=list)
    running: list[ProcessInstance] = field(default_factory=list)
    finished: list[ProcessInstance] = field(default_factory=list)
    open_tasks: list[HumanTask] = field(default_factory=list)
    documents: list[StoredFile] = field(default_factory=list)


def customer_hub(session: Session, customer: Customer) -> Hub:
    """Every section of the customer's page, newest first."""
    cid = customer.id

    def rows(model, order):
        return list(session.scalars(select(model).where(model.customer_id == cid).order_by(order).limit(LIMIT)))

    instances = rows(ProcessInstance, ProcessInstance.id.desc())
    plans = list(session.scalars(  # with their lines: the page shows each plan's total
        select(PaymentPlan).where(PaymentPlan.customer_id == cid).options(selectinload(PaymentPlan.lines))
        .order_by(PaymentPlan.id.desc()).limit(LIMIT)))
    instance_ids = [i.id for i in instances]
    return Hub(
        customer=customer,
        opportunities=list(session.scalars(select(Opportunity).where(Opportunity.customer_id == cid)
                                           .order_by(Opportunity.status, Opportunity.stage.desc()).limit(LIMIT))),
        quotes=rows(Quote, Quote.id.desc()), contracts=rows(Contract, Contract.id.desc()),
        projects=rows(Project, Project.id.desc()), payment_plans=plans,
        open_receivables=list(session.scalars(
            select(PaymentPlanLine).join(PaymentPlan).where(PaymentPlan.customer_id == cid,
                                                            PaymentPlanLine.status != "paid")
            .order_by(PaymentPlanLine.due_date).limit(LIMIT))),
        service_requests=rows(ServiceRequest, ServiceRequest.id.desc()),
        running=[i for i in instances if i.completed_at is None and i.status not in ("completed", "terminated")],
        finished=[i for i in instances if i.completed_at is not None or i.status in ("completed", "terminated")],
        open_tasks=list(session.scalars(select(HumanTask).where(HumanTask.customer_id == cid,
                                                                HumanTask.status == "ready"))),
        documents=list(session.scalars(select(StoredFile).where(StoredFile.instance_id.in_(instance_ids))
                                       .order_by(StoredFile.uploaded_at.desc()).limit(LIMIT))) if instance_ids else [],
    )


@dataclass(frozen=True)
class StartLink:
    version: ProcessVersion
    field_id: str
    """The start form's customer reference field, filled in from the query string."""


def startable_for_customer(session: Session, engine: ProcessEngine, catalog: FormCatalog, actor: Actor
                           ) -> list[StartLink]:
    """The newest processes ``actor`` may start whose start form asks for a customer."""
    links = []
    for version in startable_versions(session, engine, catalog, actor):
        form = catalog.start_form(version, engine.load_version(version).spec)
        customer_fields = [f.id for f in form.fields if f.reference == "customer"] if form else []
        if customer_fields:
            links.append(StartLink(version, customer_fields[0]))
    labels.show_versions(link.version for link in links)
    return links
