"""Global search: one box for customers, contacts, opportunities, quotes, contracts, service requests and
process instances, grouped by kind, within the viewer's data scope.

Substrings match anywhere (``船舶`` finds ``上海船舶重工有限公司``): ``ILIKE '%q%'``, served on PostgreSQL by
the GIN trigram indexes of migration 0012 (``pg_trgm``), on SQLite by a scan. Each searched column is its own
branch of a ``UNION`` so every branch can use its index (an ``OR`` over columns and a sub-select cannot).
Trigrams need three characters: a one- or two-character query searches names and titles only (phone numbers,
e-mails and document numbers are not looked for by one or two characters), which keeps its scan small.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, String, cast, select, union
from sqlalchemy.orm import Session

from crm.customers.models import Contact, Customer
from crm.orders.contracts import Contract
from crm.orders.quotes import Quote
from crm.sales.opportunities import Opportunity
from crm.service.service_desk import ServiceRequest
from engine.models import ProcessInstance

MAX_QUERY = 100
"""Longest query looked for (longer input is cut)."""
PER_KIND = 10
"""Hits shown per kind."""

KINDS = {
    "customers": "Customers", "contacts": "Contacts", "opportunities": "Opportunities", "quotes": "Quotes",
    "contracts": "Contracts", "service_requests": "Service requests", "instances": "Processes",
}
"""Kind key -> heading, in the order the results page shows them."""

QUOTE_ROLES = frozenset({"salesperson", "customer_director", "sales_director", "administrator"})
CONTRACT_ROLES = QUOTE_ROLES | {"finance"}
SERVICE_ROLES = frozenset({"service_agent", "engineer", "customer_director", "finance", "administrator"})
INSTANCE_ROLES = frozenset({"administrator"})
"""Who finds which kinds (the same roles that may open their pages)."""


@dataclass(frozen=True)
class Hit:
    kind: str
    id: int
    label: str
    detail: str


def pattern(query: str) -> str:
    """``%query%`` with LIKE's wildcards in the query taken literally (escape character ``\\``)."""
    escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _matching(columns, like: str) -> Select:
    """Ids whose row has ``like`` in any of ``columns`` ((id column, text column) pairs): one branch each."""
    return union(*(select(id_col.label("id")).where(col.ilike(like, escape="\\")) for id_col, col in columns))


def _customer_ids(like: str, short: bool) -> Select:
    columns = [(Customer.id, Customer.company), (Contact.customer_id, Contact.name)]
    if not short:
        columns += [(Customer.id, Customer.phone), (Customer.id, Customer.email), (Contact.customer_id, Contact.phone),
                    (Contact.customer_id, Contact.mobile), (Contact.customer_id, Contact.email)]
    return _matching(columns, like)


def _customers(session: Session, like: str, short: bool, scope: set[int] | None) -> list[Hit]:
    ids = _customer_ids(like, short).subquery()
    query = select(Customer.id, Customer.company, Customer.region, Customer.phone).where(
        Customer.id.in_(select(ids.c.id)))
    if scope is not None:
        query = query.where(Customer.owner_id.in_(scope))
    rows = session.execute(query.order_by(Customer.company, Customer.id).limit(PER_KIND))
    return [Hit("customers", r.id, r.company, " · ".join(v for v in (r.region, r.phone) if v)) for r in rows]


def _contacts(session: Session, like: str, short: bool, scope: set[int] | None) -> list[Hit]:
    columns = [(Contact.id, Contact.name)] + ([] if short else [
        (Contact.id, Contact.phone), (Contact.id, Contact.mobile), (Contact.id, Contact.email)])
    ids = _matching(columns, like).subquery()
    query = (select(Contact.id, Contact.name, Contact.title, Customer.id.label("customer_id"), Customer.company)
             .join(Customer, Customer.id == Contact.customer_id).where(Contact.id.in_(select(ids.c.id))))
    if scope is not None:
        query = query.where(Customer.owner_id.in_(scope))
    rows = session.execute(query.order_by(Contact.name, Contact.id).limit(PER_KIND))
    return [Hit("contacts", r.customer_id, r.name, " · ".join(v for v in (r.title, r.company) if v)) for r in rows]


def _owned(session: Session, kind: str, model, columns, like: str, scope: set[int] | None) -> list[Hit]:
    ids = _matching([(model.id, c) for c in columns], like).subquery()
    query = (select(model, Customer.company).join(Customer, Customer.id == model.customer_id)
             .where(model.id.in_(select(ids.c.id))))
    if scope is not None:
        query = query.where(model.owner_id.in_(scope))
    rows = session.execute(query.order_by(model.id.desc()).limit(PER_KIND))
    hits = []
    for row, company in rows:
        number = getattr(row, "number", None)
        title = getattr(row, "title", None) or getattr(row, "name", "")
        hits.append(Hit(kind, row.id, f"{number} · {title}" if number else title, f"{company} · {row.status}"))
    return hits


def _service_requests(session: Session, like: str) -> list[Hit]:
    query = (select(ServiceRequest.id, ServiceRequest.number, ServiceRequest.status, Customer.company)
             .join(Customer, Customer.id == ServiceRequest.customer_id)
             .where(ServiceRequest.number.ilike(like, escape="\\")).order_by(ServiceRequest.id.desc()).limit(PER_KIND))
    return [Hit("service_requests", r.id, r.number or f"#{r.id}", f"{r.company} · {r.status}")
            for r in session.execute(query)]


def _instances(session: Session, query_text: str, like: str) -> list[Hit]:
    condition = ProcessInstance.title.ilike(like, escape="\\")
    if query_text.lstrip("#").isdigit():
        condition = condition | (cast(ProcessInstance.id, String) == query_text.lstrip("#"))
    query = (select(ProcessInstance.id, ProcessInstance.title, ProcessInstance.process_key, ProcessInstance.status)
             .where(condition).order_by(ProcessInstance.id.desc()).limit(PER_KIND))
    return [Hit("instances", r.id, f"#{r.id} · {r.title or r.process_key}", f"{r.process_key} · {r.status}")
            for r in session.execute(query)]


def search(session: Session, query_text: str, scope: set[int] | None, roles: frozenset[str]) -> dict[str, list[Hit]]:
    """Hits by kind (only kinds with hits, in :data:`KINDS` order) for what the viewer may open.

    ``scope`` are the owner ids whose records the viewer sees (None: everyone's), ``roles`` their role keys.
    """
    query_text = " ".join(query_text.split())[:MAX_QUERY]
    if not query_text:
        return {}
    like, short = pattern(query_text), len(query_text) < 3
    found: dict[str, list[Hit]] = {
        "customers": _customers(session, like, short, scope),
        "contacts": _contacts(session, like, short, scope),
        "opportunities": _owned(session, "opportunities", Opportunity, [Opportunity.name], like, scope),
    }
    if roles & QUOTE_ROLES:
        found["quotes"] = _owned(session, "quotes", Quote, [Quote.title] + ([] if short else [Quote.number]),
                                 like, scope)
    if roles & CONTRACT_ROLES:
        found["contracts"] = _owned(session, "contracts", Contract,
                                    [Contract.title] + ([] if short else [Contract.number]), like, scope)
    if roles & SERVICE_ROLES and not short:
        found["service_requests"] = _service_requests(session, like)
    if roles & INSTANCE_ROLES:
        found["instances"] = _instances(session, query_text, like)
    return {kind: found[kind] for kind in KINDS if found.get(kind)}
