"""The customer page as the hub: everything about one customer, by section, and the processes that can be
started for it (with the customer filled in).

Every section is read in one statement of plain columns (each section's newest ``LIMIT`` rows, in its own
order): the page shows a few fields per row and links by id, so it needs no records, and a statement per
section cost more than the rows it read."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import Date, DateTime, Integer, String, bindparam, cast, func, literal, null, select, union_all
from sqlalchemy.orm import Session

from crm import formatting
from crm.files import StoredFile
from crm.money import Money
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


@dataclass(frozen=True, slots=True)
class OpportunityRow:
    id: int
    name: str
    status: str
    stage: int
    amount: Decimal


@dataclass(frozen=True, slots=True)
class QuoteRow:
    id: int
    number: str | None
    title: str
    status: str
    valid_until: dt.date


@dataclass(frozen=True, slots=True)
class ContractRow:
    id: int
    number: str | None
    title: str
    status: str
    currency: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class ProjectRow:
    id: int
    number: str | None
    name: str
    stage: str
    progress_percent: int


@dataclass(frozen=True, slots=True)
class PaymentPlanRow:
    id: int
    title: str
    currency: str
    total: Decimal
    """The sum of the plan's lines."""


@dataclass(frozen=True, slots=True)
class ReceivableRow:
    """An instalment not paid in full."""
    id: int
    label: str
    due_date: dt.date
    amount: Decimal
    paid_amount: Decimal


@dataclass(frozen=True, slots=True)
class ServiceRequestRow:
    id: int
    number: str | None
    request_type: str
    status: str
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class InstanceRow:
    id: int
    title: str | None
    process_key: str
    status: str
    started_at: dt.datetime
    completed_at: dt.datetime | None

    @property
    def finished(self) -> bool:
        return self.completed_at is not None or self.status in ("completed", "terminated")


@dataclass(frozen=True, slots=True)
class TaskRow:
    id: str
    title: str
    lane: str | None


@dataclass(frozen=True, slots=True)
class DocumentRow:
    storage_key: str
    name: str
    uploaded_by: str
    uploaded_at: dt.datetime


@dataclass
class Hub:
    opportunities: list[OpportunityRow] = field(default_factory=list)
    quotes: list[QuoteRow] = field(default_factory=list)
    contracts: list[ContractRow] = field(default_factory=list)
    projects: list[ProjectRow] = field(default_factory=list)
    payment_plans: list[PaymentPlanRow] = field(default_factory=list)
    open_receivables: list[ReceivableRow] = field(default_factory=list)
    service_requests: list[ServiceRequestRow] = field(default_factory=list)
    running: list[InstanceRow] = field(default_factory=list)
    finished: list[InstanceRow] = field(default_factory=list)
    open_tasks: list[TaskRow] = field(default_factory=list)
    documents: list[DocumentRow] = field(default_factory=list)


_NO_TEXT, _NO_NUMBER, _NO_AMOUNT = cast(null(), String), cast(null(), Integer), cast(null(), Money)
_NO_MOMENT, _NO_DAY = cast(null(), DateTime), cast(null(), Date)


def _row(section: int, order, *, number=_NO_NUMBER, figure=_NO_NUMBER, key=_NO_TEXT, a=_NO_TEXT, b=_NO_TEXT, c=_NO_TEXT,
         d=_NO_TEXT, x=_NO_AMOUNT, y=_NO_AMOUNT, day=_NO_DAY, at=_NO_MOMENT, at2=_NO_MOMENT):
    """One section's columns under the hub's shared names: its place in the section (``order``; None: as the
    database finds them), an integer id
    (``number``) and figure, a text key, four texts, two amounts, a day and two moments."""
    return select(literal(section).label("section"), func.row_number().over(order_by=order).label("position"),
                  number.label("number"), figure.label("figure"), key.label("key"), a.label("a"), b.label("b"),
                  c.label("c"), d.label("d"), x.label("x"), y.label("y"), day.label("day"), at.label("at"),
                  at2.label("at2"))


def _sections() -> list:
    """The sections in the order of :data:`_BUILDERS`, each its newest rows; the customer is the ``customer_id``
    parameter, the site's currency ``site_currency``."""
    cid = bindparam("customer_id", type_=Integer)
    plan_total = (select(func.coalesce(func.sum(PaymentPlanLine.amount), 0))
                  .where(PaymentPlanLine.plan_id == PaymentPlan.id).scalar_subquery())
    newest_instances = (select(ProcessInstance.id).where(ProcessInstance.customer_id == cid)
                        .order_by(ProcessInstance.id.desc()).limit(bindparam("per_section")))
    return [
        _row(0, (Opportunity.status, Opportunity.stage.desc(), Opportunity.id), number=Opportunity.id,
             a=Opportunity.name, b=Opportunity.status, figure=Opportunity.stage, x=Opportunity.amount)
        .where(Opportunity.customer_id == cid),
        _row(1, Quote.id.desc(), number=Quote.id, a=Quote.number, b=Quote.title, c=Quote.status,
             day=Quote.valid_until).where(Quote.customer_id == cid),
        _row(2, Contract.id.desc(), number=Contract.id, a=Contract.number, b=Contract.title, c=Contract.status,
             d=Contract.currency, x=Contract.amount).where(Contract.customer_id == cid),
        _row(3, Project.id.desc(), number=Project.id, a=Project.number, b=Project.name, c=Project.stage,
             figure=Project.progress_percent).where(Project.customer_id == cid),
        _row(4, PaymentPlan.id.desc(), number=PaymentPlan.id, a=PaymentPlan.title,
             d=func.coalesce(Contract.currency, bindparam("site_currency", type_=String)), x=plan_total)
        .outerjoin(Contract, Contract.id == PaymentPlan.contract_id).where(PaymentPlan.customer_id == cid),
        _row(5, (PaymentPlanLine.due_date, PaymentPlanLine.id), number=PaymentPlanLine.id, a=PaymentPlanLine.label,
             day=PaymentPlanLine.due_date, x=PaymentPlanLine.amount, y=PaymentPlanLine.paid_amount)
        .join(PaymentPlan, PaymentPlan.id == PaymentPlanLine.plan_id)
        .where(PaymentPlan.customer_id == cid, PaymentPlanLine.status != "paid"),
        _row(6, ServiceRequest.id.desc(), number=ServiceRequest.id, a=ServiceRequest.number,
             b=ServiceRequest.request_type, c=ServiceRequest.status, at=ServiceRequest.created_at)
        .where(ServiceRequest.customer_id == cid),
        _row(7, ProcessInstance.id.desc(), number=ProcessInstance.id, a=ProcessInstance.title,
             b=ProcessInstance.process_key, c=ProcessInstance.status, at=ProcessInstance.started_at,
             at2=ProcessInstance.completed_at).where(ProcessInstance.customer_id == cid),
        _row(8, None, key=HumanTask.id, a=HumanTask.title, b=HumanTask.lane)
        .where(HumanTask.customer_id == cid, HumanTask.status == "ready"),
        _row(9, StoredFile.uploaded_at.desc(), key=StoredFile.storage_key, a=StoredFile.name,
             b=StoredFile.uploaded_by, at=StoredFile.uploaded_at)
        .where(StoredFile.instance_id.in_(newest_instances)),
    ]


_BUILDERS = (
    ("opportunities", lambda r: OpportunityRow(r.number, r.a, r.b, r.figure, r.x)),
    ("quotes", lambda r: QuoteRow(r.number, r.a, r.b, r.c, r.day)),
    ("contracts", lambda r: ContractRow(r.number, r.a, r.b, r.c, r.d, r.x)),
    ("projects", lambda r: ProjectRow(r.number, r.a, r.b, r.c, r.figure)),
    ("payment_plans", lambda r: PaymentPlanRow(r.number, r.a, r.d, r.x)),
    ("open_receivables", lambda r: ReceivableRow(r.number, r.a, r.day, r.x, r.y)),
    ("service_requests", lambda r: ServiceRequestRow(r.number, r.a, r.b, r.c, r.at)),
    ("instances", lambda r: InstanceRow(r.number, r.a, r.b, r.c, r.at, r.at2)),
    ("open_tasks", lambda r: TaskRow(r.key, r.a, r.b)),
    ("documents", lambda r: DocumentRow(r.key, r.a, r.b, r.at)),
)
"""Each section's name and how one of its rows reads, in the order of :func:`_sections`."""


@functools.cache
def _statement():
    """Every section's first ``per_section`` rows in one statement: built once, run with parameters."""
    ranked = union_all(*(select(part.subquery()) for part in _sections())).subquery()
    return (select(ranked).where(ranked.c.position <= bindparam("per_section", type_=Integer))
            .order_by(ranked.c.section, ranked.c.position))


def customer_hub(session: Session, customer_id: int) -> Hub:
    """Every section of the customer's page (at most ``LIMIT`` rows each), in one statement."""
    found: dict[str, list] = {name: [] for name, _ in _BUILDERS}
    params = {"customer_id": customer_id, "per_section": LIMIT, "site_currency": formatting.site_currency()}
    for row in session.execute(_statement(), params):
        name, build = _BUILDERS[row.section]
        found[name].append(build(row))
    instances = found.pop("instances")
    return Hub(**found, running=[i for i in instances if not i.finished],
               finished=[i for i in instances if i.finished])


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
        field_id = _customer_field(engine, catalog, version)
        if field_id:
            links.append(StartLink(version, field_id))
    labels.show_versions(link.version for link in links)
    return links


_customer_fields: dict[str, str | None] = {}
"""The start form's customer field by content hash: a deployed version never changes."""


def _customer_field(engine: ProcessEngine, catalog: FormCatalog, version: ProcessVersion) -> str | None:
    """The id of the first customer reference field of the version's start form (None: it asks for none); field
    ids do not depend on the reader's language, so the form is not translated for it."""
    if version.content_hash not in _customer_fields:
        start_events = engine.load_version(version).spec.start.outputs
        form = catalog.for_version(version).get(start_events[0].bpmn_id) if start_events else None
        fields = [f.id for f in form.fields if f.reference == "customer"] if form else []
        _customer_fields[version.content_hash] = fields[0] if fields else None
    return _customer_fields[version.content_hash]
