"""Global search: one box for customers, contacts, opportunities, quotes, contracts, service requests and
process instances, grouped by kind, within the viewer's data scope.

Substrings match anywhere (``船舶`` finds ``上海船舶重工有限公司``): ``ILIKE '%q%'``, served on PostgreSQL by
the GIN trigram indexes of migration 0012 (``pg_trgm``), on SQLite by a scan. Each searched column is its own
branch of a ``UNION`` so every branch can use its index (an ``OR`` over columns and a sub-select cannot), and
each branch stops after :data:`PER_KIND` rows. Trigrams need three characters: a one- or two-character query
searches names and titles only, on PostgreSQL through the ``crm_grams`` GIN indexes (every one- and
two-character piece of a name), so ``船舶`` is an index lookup too. Customer and contact names are also found by
their pinyin or its initials (``bjsj`` and ``beijing`` find 北京世纪…; columns of migration 0027, trigram-indexed).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ARRAY, ColumnElement, Select, Text, cast, func, select, union
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from crm.customers.models import Contact, Customer
from crm.customers.names import pinyin_query
from crm.orders.contracts import Contract
from crm.orders.quotes import Quote
from crm.sales.opportunities import Opportunity
from crm.service.service_desk import ServiceRequest
from engine.models import ProcessInstance
from i18n import _l

MAX_QUERY = 100
"""Longest query looked for (longer input is cut)."""
PER_KIND = 10
"""Hits shown per kind."""

KINDS = {
    "customers": _l("Customers"), "contacts": _l("Contacts"), "opportunities": _l("Opportunities"),
    "quotes": _l("Quotes"), "contracts": _l("Contracts"), "service_requests": _l("Service requests"),
    "instances": _l("Processes"),
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


@dataclass(frozen=True)
class _Query:
    """The text looked for and how: ``ILIKE`` (trigram-indexed), or for one or two characters on PostgreSQL
    the ``crm_grams`` index (every one- and two-character piece of the text, migration 0012)."""

    text: str
    grams: bool

    @property
    def short(self) -> bool:
        return len(self.text) < 3

    def matches(self, column) -> ColumnElement[bool]:
        if self.grams:
            return func.crm_grams(column).op("@>")(cast(postgresql.array([self.text.lower()]), ARRAY(Text)))
        return column.ilike(pattern(self.text), escape="\\")


def _first_ids(branches: list[Select]) -> Select:
    """Union of the branches, each cut to :data:`PER_KIND` rows (so a common word stops early)."""
    return union(*(select(branch.limit(PER_KIND).subquery().c.id) for branch in branches))


def _customer_branch(id_col, column, query: _Query, scope: set[int] | None) -> Select:
    branch = select(id_col.label("id")).where(query.matches(column))
    if id_col is not Customer.id:
        branch = branch.join(Customer, Customer.id == id_col)
    return branch if scope is None else branch.where(Customer.owner_id.in_(scope))


def _pinyin(query_text: str) -> _Query | None:
    """The query as pinyin (two letters at least), or None when it is not pinyin."""
    text = pinyin_query(query_text)
    return _Query(text, grams=False) if len(text) >= 2 else None


def _customers(session: Session, query: _Query, pinyin: _Query | None, scope: set[int] | None) -> list[Hit]:
    columns = [(Customer.id, Customer.company), (Contact.customer_id, Contact.name)]
    if not query.short:
        columns += [(Customer.id, Customer.registry_number), (Customer.id, Customer.phone),
                    (Customer.id, Customer.email), (Contact.customer_id, Contact.phone),
                    (Contact.customer_id, Contact.mobile), (Contact.customer_id, Contact.email)]
    branches = [_customer_branch(i, c, query, scope) for i, c in columns]
    if pinyin is not None:
        branches += [_customer_branch(Customer.id, c, pinyin, scope)
                     for c in (Customer.name_initials, Customer.name_pinyin)]
    ids = _first_ids(branches).subquery()
    rows = session.execute(select(Customer.id, Customer.company, Customer.region, Customer.phone)
                           .where(Customer.id.in_(select(ids.c.id)))
                           .order_by(Customer.name_pinyin, Customer.company, Customer.id)
                           .limit(PER_KIND))
    return [Hit("customers", r.id, r.company, " · ".join(v for v in (r.region, r.phone) if v)) for r in rows]


def _contacts(session: Session, query: _Query, pinyin: _Query | None, scope: set[int] | None) -> list[Hit]:
    columns = [Contact.name] + ([] if query.short else [Contact.phone, Contact.mobile, Contact.email])
    branches = [_contact_branch(c, query, scope) for c in columns]
    if pinyin is not None:
        branches += [_contact_branch(c, pinyin, scope) for c in (Contact.name_initials, Contact.name_pinyin)]
    ids = _first_ids(branches).subquery()
    rows = session.execute(
        select(Contact.id, Contact.name, Contact.title, Customer.id.label("customer_id"), Customer.company)
        .join(Customer, Customer.id == Contact.customer_id).where(Contact.id.in_(select(ids.c.id)))
        .order_by(Contact.name_pinyin, Contact.name, Contact.id).limit(PER_KIND))
    return [Hit("contacts", r.customer_id, r.name, " · ".join(v for v in (r.title, r.company) if v)) for r in rows]


def _contact_branch(column, query: _Query, scope: set[int] | None) -> Select:
    branch = select(Contact.id.label("id")).where(query.matches(column))
    if scope is not None:
        branch = branch.join(Customer, Customer.id == Contact.customer_id).where(Customer.owner_id.in_(scope))
    return branch


def _owned(session: Session, kind: str, model, columns, query: _Query, scope: set[int] | None) -> list[Hit]:
    branches = [select(model.id.label("id")).where(query.matches(c)) for c in columns]
    if scope is not None:
        branches = [b.where(model.owner_id.in_(scope)) for b in branches]
    ids = _first_ids(branches).subquery()
    rows = session.execute(select(model, Customer.company).join(Customer, Customer.id == model.customer_id)
                           .where(model.id.in_(select(ids.c.id))).order_by(model.id.desc()).limit(PER_KIND))
    hits = []
    for row, company in rows:
        number = getattr(row, "number", None)
        title = getattr(row, "title", None) or getattr(row, "name", "")
        hits.append(Hit(kind, row.id, f"{number} · {title}" if number else title, f"{company} · {row.status}"))
    return hits


def _service_requests(session: Session, query: _Query) -> list[Hit]:
    statement = (select(ServiceRequest.id, ServiceRequest.number, ServiceRequest.status, Customer.company)
                 .join(Customer, Customer.id == ServiceRequest.customer_id)
                 .where(query.matches(ServiceRequest.number)).order_by(ServiceRequest.id.desc()).limit(PER_KIND))
    return [Hit("service_requests", r.id, r.number or f"#{r.id}", f"{r.company} · {r.status}")
            for r in session.execute(statement)]


def _instances(session: Session, query_text: str) -> list[Hit]:
    condition = ProcessInstance.title.ilike(pattern(query_text), escape="\\")
    if query_text.lstrip("#").isdigit():
        condition = condition | (ProcessInstance.id == int(query_text.lstrip("#")[:9]))
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
    short = len(query_text) < 3
    query = _Query(query_text, grams=short and session.get_bind().dialect.name == "postgresql")
    pinyin = _pinyin(query_text)
    found: dict[str, list[Hit]] = {
        "customers": _customers(session, query, pinyin, scope),
        "contacts": _contacts(session, query, pinyin, scope),
        "opportunities": _owned(session, "opportunities", Opportunity, [Opportunity.name], query, scope),
    }
    if roles & QUOTE_ROLES:
        found["quotes"] = _owned(session, "quotes", Quote, [Quote.title] + ([] if short else [Quote.number]),
                                 query, scope)
    if roles & CONTRACT_ROLES:
        found["contracts"] = _owned(session, "contracts", Contract,
                                    [Contract.title] + ([] if short else [Contract.number]), query, scope)
    if roles & SERVICE_ROLES and not short:
        found["service_requests"] = _service_requests(session, query)
    if roles & INSTANCE_ROLES and not short:
        found["instances"] = _instances(session, query_text)
    return {kind: found[kind] for kind in KINDS if found.get(kind)}
