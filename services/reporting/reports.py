"""The Reports page's figures: §5 customer analyses here, §9 KPIs and §7 service analyses in their modules.

Every function takes the viewer's owner scope (:func:`crm.accounts.access.visible_owner_ids`; None = everyone's) and
returns plain data (:class:`Report`), so the page, the JSON endpoint and the workbook show the same numbers.
"""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

from sqlalchemy import Select, func, literal, select, union_all
from sqlalchemy.orm import Session

from crm.customers.models import Customer
from crm.orders.contracts import Contract
from i18n import _, _l, pgettext
from services.reporting.bound import Shape, parameters, shape_of, within
from services.reporting.filters import ReportFilter, narrowed_scope
from services.reporting.kpis import SIGNED_WITHIN, kpi_reports
from services.reporting.margin_report import margin_by_month
from services.reporting.report_types import Report, Series, money
from services.reporting.service_analyses import service_reports
from services.reporting.wallet_analyses import wallet_reports

BREAKDOWNS = {
    "industry": _l("Customers by industry"), "size": _l("Customers by size"), "region": _l("Customers by region"),
    "source": _l("Customers by source"), "grade": _l("Customers by grade"),
}
"""Customer attributes the customer analyses group by (§5), with the report's title."""
NOT_SET = _l("(not set)")


def customer_breakdowns(session: Session, scope: set[int] | None, report_filter: ReportFilter) -> list[Report]:
    """Visible customers grouped by each attribute of :data:`BREAKDOWNS`: how many, and the amount of their
    contracts signed in the period. One statement: the visible customers once, grouped five ways."""
    rows: dict[str, list[tuple]] = {attribute: [] for attribute in BREAKDOWNS}
    for attribute, value, count, amount in session.execute(_breakdowns_statement(shape_of(scope, report_filter)),
                                                           parameters(scope, report_filter)):
        rows[attribute].append((value, count, amount))
    words = _BreakdownWords(pgettext("count", "Customers"), _("Contracted amount"), str(NOT_SET), _(
        "Contracted amount: contracts signed by both sides in the period, by the customer's attribute today."))
    return [_breakdown(attribute, found, words) for attribute, found in rows.items()]


@cache
def _breakdowns_statement(shape: Shape) -> Select:
    contracted = (select(Contract.customer_id, func.sum(Contract.amount).label("amount"))
                  .where(*SIGNED_WITHIN).group_by(Contract.customer_id).subquery())
    customers = (select(Customer.id, *(getattr(Customer, attribute) for attribute in BREAKDOWNS), contracted.c.amount)
                 .outerjoin(contracted, contracted.c.customer_id == Customer.id))
    customers = within(customers, Customer.owner_id, Customer.id, shape).cte("visible")
    groups = union_all(*(
        select(literal(attribute).label("attribute"), customers.c[attribute].label("value"),
               func.count(customers.c.id).label("customers"), func.sum(customers.c.amount).label("amount"))
        .group_by(customers.c[attribute]) for attribute in BREAKDOWNS)).subquery()
    return select(groups).order_by(groups.c.attribute, groups.c.value)


class _BreakdownWords(NamedTuple):
    """What every breakdown says, translated once for the five."""

    customers: str
    amount: str
    not_set: str
    note: str


def _breakdown(attribute: str, rows: list[tuple], words: _BreakdownWords) -> Report:
    return Report(
        key=f"customers_by_{attribute}", title=str(BREAKDOWNS[attribute]), section="customers",
        labels=[value or words.not_set for value, _count, _amount in rows],
        series=[Series(words.customers, [count for _value, count, _amount in rows]),
                Series(words.amount, [money(amount) for _value, _count, amount in rows], axis="y2", unit="money")],
        note=words.note,
    )


def build_reports(session: Session, scope: set[int] | None, report_filter: ReportFilter, *,
                  service_staff: bool = False, costs: bool = False) -> list[Report]:
    """Every report of the page, in the order shown: customers, KPIs by month, service; all within
    ``report_filter`` (period, salesperson or team, customer attributes).

    ``service_staff`` (service agents, engineers) see the service analyses of every customer: the department's
    work is not divided by customer owner. ``costs``: the viewer may see costs (the gross margin report).
    """
    owners = narrowed_scope(session, scope, report_filter)
    return [
        *customer_breakdowns(session, owners, report_filter),
        *wallet_reports(session, owners, report_filter),
        *kpi_reports(session, owners, report_filter),
        *([margin_by_month(session, owners, report_filter)] if costs else []),
        *service_reports(session, narrowed_scope(session, None, report_filter) if service_staff else owners,
                         report_filter),
    ]
