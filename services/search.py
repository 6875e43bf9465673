"""Global search: one box for customers, contacts, opportunities, quotes, contracts, service requests and
process instances, grouped by kind, within the viewer's data scope.

Substrings match anywhere, whatever their length (``船`` and ``船舶`` find ``上海船舶重工有限公司``, ``13`` a phone
number). Each kind searches one *searchable text* per row: its searched columns joined by line breaks
(:data:`DOCUMENTS`; ``crm_search_text`` of migration 0029, which no query can span: a query has no line break).
On PostgreSQL that text carries two GIN expression indexes, kept by PostgreSQL in the same transaction as the row:

- ``ix_search_<table>`` (``pg_trgm``) serves queries of three characters or more, ``ILIKE '%q%'``;
- ``ix_search_grams_<table>`` serves queries of one or two characters. Trigrams cannot: ``pg_trgm`` needs three
  characters, so ``ILIKE '%船舶%'`` would read the whole index, and its word/strict similarity ranks whole
  words, it does not find a two-character substring. This index holds every character and every pair of
  neighbouring characters of the text (``crm_search_grams``), so a one- or two-character query is contained in
  the text exactly when it is one of those keys: ``crm_search_grams(text) @> ARRAY['船舶']`` is an exact index
  lookup, no recheck of a pattern needed. A full-text ``tsvector`` would split Chinese into nothing useful
  (no word boundaries) and a Chinese parser (zhparser) is an extension few servers carry.
Both indexes keep a short pending list (256 kB): a search reads the unsorted recent entries of each index it
uses, and with the default 4 MB every query was several times slower until the next vacuum.

Each kind's rows are found in a ``MATERIALIZED`` common table expression read only until :data:`PER_KIND` rows:
planned for all its rows, so the data-scope filter cannot lure the planner into a sequential scan "until ten are
found" that finds none (a salesperson searching a word common outside their scope), and still stopped early.
The two functions are PARALLEL RESTRICTED (workers of a plan for all the rows would finish their share though
ten rows are read) and keep the default cost, so plans for ten rows are not compiled by JIT.
Customer and contact names are found by their pinyin or its initials too (``bjsj``, ``beijing``): those columns
are part of the searchable text. SQLite (the embedded default) compares the same columns with ``LIKE``, a scan.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ARRAY, ColumnElement, Select, Text, cast, func, null, or_, select, union
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
GRAMS_BELOW = 3
"""Queries shorter than this many characters use the character-pair index (trigrams need three)."""

KINDS = {
    "customers": _l("Customers"), "contacts": _l("Contacts"), "opportunities": _l("Opportunities"),
    "quotes": _l("Quotes"), "contracts": _l("Contracts"), "service_requests": _l("Service requests"),
    "instances": _l("Processes"),
}
"""Kind key -> heading, in the order the results page shows them."""

DOCUMENTS = {
    Customer: (Customer.company, Customer.registry_number, Customer.phone, Customer.email, Customer.name_pinyin,
               Customer.name_initials),
    Contact: (Contact.name, Contact.phone, Contact.mobile, Contact.email, Contact.name_pinyin, Contact.name_initials),
    Opportunity: (Opportunity.name,),
    Quote: (Quote.number, Quote.title),
    Contract: (Contract.number, Contract.title),
    ServiceRequest: (ServiceRequest.number,),
    ProcessInstance: (ProcessInstance.title,),
}
"""Model -> the columns of its searchable text, in the order of migration 0029's index expressions."""
PINYIN_MODELS = (Customer, Contact)
"""Models whose searchable text holds a name's pinyin: they are also searched by the query read as pinyin."""

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
    """What is looked for (the query as typed, and as pinyin when that reads differently) and on which database."""

    text: str
    pinyin: str
    postgresql: bool

    def matches(self, model) -> ColumnElement[bool]:
        """The row's searchable text contains the query (or, for named people and companies, its pinyin)."""
        texts = [self.text] + ([self.pinyin] if self.pinyin and model in PINYIN_MODELS else [])
        columns = DOCUMENTS[model]
        if not self.postgresql:
            return or_(*(column.ilike(pattern(text), escape="\\") for text in texts for column in columns))
        document = func.crm_search_text(*columns)
        return or_(*(_contains(document, text) for text in texts))


def _contains(document, text: str) -> ColumnElement[bool]:
    """PostgreSQL: one of the searchable text's characters or pairs, or a trigram-indexed substring."""
    if len(text) < GRAMS_BELOW:
        return func.crm_search_grams(document).op("@>")(cast(postgresql.array([text.lower()]), ARRAY(Text)))
    return document.ilike(pattern(text), escape="\\")


def _first(statement: Select, name: str) -> Select:
    """The first :data:`PER_KIND` ids of ``statement``, read from a materialized CTE (see the module docstring)."""
    found = statement.cte(name).prefix_with("MATERIALIZED", dialect="postgresql")
    return select(select(found.c.id).limit(PER_KIND).subquery().c.id)


def _in_scope(statement: Select, model, scope: set[int] | None) -> Select:
    """``statement`` cut to the viewer's data scope: rows owned by ``scope`` (None: every row)."""
    if scope is None:
        return statement
    if model is Contact:
        statement = statement.join(Customer, Customer.id == Contact.customer_id)
        model = Customer
    return statement.where(model.owner_id.in_(scope))


def _customers(session: Session, query: _Query, scope: set[int] | None, by_contact: list[int]) -> list[Hit]:
    """Customers whose own text matches, and those of the contacts found (``by_contact``)."""
    own = _in_scope(select(Customer.id.label("id")).where(query.matches(Customer)), Customer, scope)
    ids = _first(own, "customer_hits")
    if by_contact:
        ids = union(ids, select(Customer.id).where(Customer.id.in_(by_contact)))
    rows = session.execute(select(Customer.id, Customer.company, Customer.region, Customer.phone)
                           .where(Customer.id.in_(ids.subquery().select()))
                           .order_by(Customer.name_pinyin, Customer.company, Customer.id).limit(PER_KIND))
    return [Hit("customers", r.id, r.company, " · ".join(v for v in (r.region, r.phone) if v)) for r in rows]


def _contacts(session: Session, query: _Query, scope: set[int] | None) -> list[Hit]:
    """Contacts whose text matches; a hit opens the contact's customer (``Hit.id`` is the customer's)."""
    ids = _first(_in_scope(select(Contact.id.label("id")).where(query.matches(Contact)), Contact, scope),
                 "contact_hits")
    rows = session.execute(
        select(Contact.id, Contact.name, Contact.title, Customer.id.label("customer_id"), Customer.company)
        .join(Customer, Customer.id == Contact.customer_id).where(Contact.id.in_(ids.subquery().select()))
        .order_by(Contact.name_pinyin, Contact.name, Contact.id))
    return [Hit("contacts", r.customer_id, r.name, " · ".join(v for v in (r.title, r.company) if v)) for r in rows]


_TITLES = {Opportunity: Opportunity.name, Quote: Quote.title, Contract: Contract.title}
"""What a hit of each owned kind is called (after its number, when it has one)."""


def _owned(session: Session, kind: str, model, query: _Query, scope: set[int] | None) -> list[Hit]:
    """Opportunities, quotes or contracts whose text matches, newest first (the columns a hit shows)."""
    ids = _first(_in_scope(select(model.id.label("id")).where(query.matches(model)), model, scope), f"{kind}_hits")
    number = model.number if hasattr(model, "number") else null()
    rows = session.execute(select(model.id, number.label("number"), _TITLES[model].label("title"), model.status,
                                  Customer.company).join(Customer, Customer.id == model.customer_id)
                           .where(model.id.in_(ids.subquery().select())).order_by(model.id.desc()))
    return [Hit(kind, r.id, f"{r.number} · {r.title or ''}" if r.number else r.title or "", f"{r.company} · {r.status}")
            for r in rows]


def _service_requests(session: Session, query: _Query) -> list[Hit]:
    """Service requests by number (every service role sees every request, as their list does)."""
    ids = _first(select(ServiceRequest.id.label("id")).where(query.matches(ServiceRequest)), "request_hits")
    statement = (select(ServiceRequest.id, ServiceRequest.number, ServiceRequest.status, Customer.company)
                 .join(Customer, Customer.id == ServiceRequest.customer_id)
                 .where(ServiceRequest.id.in_(ids.subquery().select())).order_by(ServiceRequest.id.desc()))
    return [Hit("service_requests", r.id, r.number or f"#{r.id}", f"{r.company} · {r.status}")
            for r in session.execute(statement)]


def _instances(session: Session, query: _Query) -> list[Hit]:
    """Process instances by title, or by id (``#12`` or ``12``)."""
    ids = _first(select(ProcessInstance.id.label("id")).where(query.matches(ProcessInstance)), "instance_hits")
    number = query.text.removeprefix("#")
    if number.isdigit():
        ids = union(ids, select(ProcessInstance.id).where(ProcessInstance.id == int(number[:9])))
    statement = (select(ProcessInstance.id, ProcessInstance.title, ProcessInstance.process_key,
                        ProcessInstance.status)
                 .where(ProcessInstance.id.in_(ids.subquery().select())).order_by(ProcessInstance.id.desc())
                 .limit(PER_KIND))
    return [Hit("instances", r.id, f"#{r.id} · {r.title or r.process_key}", f"{r.process_key} · {r.status}")
            for r in session.execute(statement)]


def search(session: Session, query_text: str, scope: set[int] | None, roles: frozenset[str]) -> dict[str, list[Hit]]:
    """Hits by kind (only kinds with hits, in :data:`KINDS` order) for what the viewer may open.

    ``scope`` are the owner ids whose records the viewer sees (None: everyone's), ``roles`` their role keys.
    """
    query_text = " ".join(query_text.split())[:MAX_QUERY]
    if not query_text:
        return {}
    pinyin = pinyin_query(query_text)
    query = _Query(query_text, pinyin if pinyin != query_text.lower() else "",
                   session.get_bind().dialect.name == "postgresql")
    contacts = _contacts(session, query, scope)
    found: dict[str, list[Hit]] = {
        "customers": _customers(session, query, scope, [hit.id for hit in contacts]),
        "contacts": contacts,
        "opportunities": _owned(session, "opportunities", Opportunity, query, scope),
    }
    if roles & QUOTE_ROLES:
        found["quotes"] = _owned(session, "quotes", Quote, query, scope)
    if roles & CONTRACT_ROLES:
        found["contracts"] = _owned(session, "contracts", Contract, query, scope)
    if roles & SERVICE_ROLES:
        found["service_requests"] = _service_requests(session, query)
    if roles & INSTANCE_ROLES:
        found["instances"] = _instances(session, query)
    return {kind: found[kind] for kind in KINDS if found.get(kind)}
