"""Report statements built once per shape and run with the viewer's scope and the filter as parameters.

Building a grouped select (joins, a union, column collections) costs more Python than running it, and a report's
statement differs between requests only in its values and in two choices: whether the figures are narrowed to a
set of owners and which customer attributes are chosen. That pair is the :class:`Shape`; a statement builder
cached on it (``functools.cache``) holds SQL text only, never a value: the owners, the period and the attributes
travel in :func:`parameters` on every execution, so nothing of one viewer's data can reach another.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, bindparam, select

from crm.customers.models import Customer
from services.reporting.filters import CUSTOMER_ATTRIBUTES, ReportFilter

OWNERS = bindparam("owners", expanding=True)
"""The owners the figures cover (a list); only in statements of a scoped shape."""
FIRST, LAST = bindparam("first"), bindparam("last")
"""The period's first and last day (site zone), both included (typed by the column compared with)."""
STARTS, ENDS = bindparam("starts"), bindparam("ends")
"""The period's first instant and the one after it, as stored (naive UTC) times."""


@dataclass(frozen=True)
class Shape:
    """What decides a report statement's SQL beyond its values."""

    scoped: bool
    """The figures are narrowed to :data:`OWNERS` (else everyone's)."""
    attributes: tuple[str, ...] = ()
    """The customer attributes the filter chooses (each a parameter of its name)."""


def shape_of(scope: set[int] | None, report_filter: ReportFilter) -> Shape:
    """The shape of the statements for owners ``scope`` (None: everyone's) and ``report_filter``."""
    return Shape(scope is not None, tuple([name for name in CUSTOMER_ATTRIBUTES if getattr(report_filter, name)]))


def parameters(scope: set[int] | None, report_filter: ReportFilter) -> dict:
    """The values every report statement of :func:`shape_of` the same arguments takes (a statement ignores those
    it does not name)."""
    values = {"first": report_filter.first, "last": report_filter.last, "starts": report_filter.starts,
              "ends": report_filter.ends, "owners": sorted(scope or ())}
    values.update({name: getattr(report_filter, name) for name in CUSTOMER_ATTRIBUTES})
    return values


def in_scope(query: Select, owner_column, shape: Shape) -> Select:
    """``query`` narrowed to rows whose ``owner_column`` is one of :data:`OWNERS` when the shape is scoped."""
    return query.where(owner_column.in_(OWNERS)) if shape.scoped else query


def of_customers(query: Select, customer_id, shape: Shape) -> Select:
    """``query`` narrowed to rows whose ``customer_id`` names a customer with the chosen attributes (rows without a
    customer drop out when any is chosen)."""
    if not shape.attributes:
        return query
    chosen = select(Customer.id).where(*(getattr(Customer, name) == bindparam(name) for name in shape.attributes))
    return query.where(customer_id.in_(chosen))


def within(query: Select, owner_column, customer_id, shape: Shape) -> Select:
    """``query`` narrowed by both: :func:`in_scope` and :func:`of_customers`."""
    return of_customers(in_scope(query, owner_column, shape), customer_id, shape)

