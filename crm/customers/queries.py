"""The customer list: search, filters, paging, within the viewer's data scope."""

from __future__ import annotations

import functools
from dataclasses import asdict, dataclass, field

from sqlalchemy import Integer, Row, Select, bindparam, func, join, literal, or_, select, union_all
from sqlalchemy.orm import Session

from crm.accounts.users import User
from crm.customers.models import Contact, Customer
from crm.customers.names import pinyin_query


@dataclass(frozen=True)
class CustomerFilter:
    """What the list is narrowed by (query-string arguments)."""

    q: str = ""
    grade: str = ""
    industry: str = ""
    region: str = ""
    owner_id: int | None = None
    inactive: bool = False
    """Show deactivated and merged customers too."""

    @classmethod
    def from_args(cls, args) -> CustomerFilter:
        owner = args.get("owner_id", "")
        return cls(q=args.get("q", "").strip(), grade=args.get("grade", ""), industry=args.get("industry", ""),
                   region=args.get("region", ""), owner_id=int(owner) if owner.isdigit() else None,
                   inactive=args.get("inactive") == "1")

    def as_args(self) -> dict:
        return {k: ("1" if v is True else v) for k, v in asdict(self).items() if v not in ("", None, False)}


@dataclass
class CustomerPage:
    items: list[Row]
    """The columns the list shows, the owner's name as ``owner_name``."""
    total: int
    page: int
    per_page: int
    options: dict[str, list] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


_LISTED = (Customer.id, Customer.company, Customer.in_roster, Customer.active, Customer.grade, Customer.industry,
           Customer.region, Customer.size, Customer.owner_id)
"""What the list shows of a customer (it links to the customer's page for the rest)."""


def _scoped(query: Select, scope: set[int] | None) -> Select:
    return query if scope is None else query.where(Customer.owner_id.in_(scope))


def search_customers(session: Session, scope: set[int] | None, flt: CustomerFilter, page: int = 1,
                     per_page: int = 25) -> CustomerPage:
    """One page of the customers ``scope`` (owner ids; None = all) may see, matching ``flt``."""
    query = _scoped(select(Customer), scope)
    if not flt.inactive:
        query = query.where(Customer.active.is_(True))
    if flt.q:
        like = f"%{flt.q}%"
        contact_match = select(Contact.customer_id).where(or_(Contact.name.ilike(like), Contact.email.ilike(like)))
        matches = [Customer.company.ilike(like), Customer.email.ilike(like), Customer.phone.ilike(like),
                   Customer.id.in_(contact_match)]
        if pinyin := pinyin_query(flt.q):
            matches += [Customer.name_initials.contains(pinyin, autoescape=True),
                        Customer.name_pinyin.contains(pinyin, autoescape=True)]
        query = query.where(or_(*matches))
    for column, value in ((Customer.grade, flt.grade), (Customer.industry, flt.industry),
                          (Customer.region, flt.region), (Customer.owner_id, flt.owner_id)):
        if value not in ("", None):
            query = query.where(column == value)
    ordered = (query.outerjoin(User, User.id == Customer.owner_id)
               .order_by(Customer.name_pinyin, Customer.company, Customer.id))
    found = session.execute(ordered.with_only_columns(*_LISTED, User.display_name.label("owner_name"),
                                                      func.count().over().label("total"))
                            .offset((max(page, 1) - 1) * per_page).limit(per_page)).all()
    if found:
        total = found[0].total
    else:  # no row on this page: an empty list, or a page past its end
        total = session.scalar(select(func.count()).select_from(query.subquery())) if page > 1 else 0
    return CustomerPage(found, total, page, per_page, filter_options(session, scope))


def filter_options(session: Session, scope: set[int] | None) -> dict[str, list]:
    """Industries, regions and owners that occur among the visible customers (one statement)."""
    found = {"industry": [], "region": [], "owner": []}
    statement = _options_statement(scope is not None)
    for row in session.execute(statement, {} if scope is None else {"scope": list(scope)}):
        if row.kind == "owner":
            found["owner"].append((row.key, row.value))
        elif row.value:
            found[row.kind].append(row.value)
    return {"industries": found["industry"], "regions": found["region"], "owners": found["owner"]}


@functools.cache
def _options_statement(scoped: bool) -> Select:
    """The statement of :func:`filter_options`, built once (building it cost more Python than running it); when
    ``scoped``, the owner ids are the ``scope`` parameter."""
    def distinct(kind: str, value, key, joined=None) -> Select:
        query = select(literal(kind).label("kind"), value.label("value"), key.label("key"))
        query = (query if joined is None else query.select_from(joined)).distinct()
        return query.where(Customer.owner_id.in_(bindparam("scope", expanding=True))) if scoped else query

    nothing = literal(None, Integer)
    options = union_all(
        distinct("industry", Customer.industry, nothing),
        distinct("region", Customer.region, nothing),
        distinct("owner", User.display_name, User.id, join(User, Customer, Customer.owner_id == User.id)),
    ).subquery()
    return select(options).order_by(options.c.kind, options.c.value)


def visible_customer(session: Session, scope: set[int] | None, customer_id: int) -> Customer | None:
    """The customer if it exists and lies within ``scope``."""
    customer = session.get(Customer, customer_id)
    if customer is None or (scope is not None and customer.owner_id not in scope):
        return None
    return customer
