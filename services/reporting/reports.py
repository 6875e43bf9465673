"""The Reports page's figures: §5 customer analyses here, §9 KPIs and §7 service analyses in their modules.

Every function takes the viewer's owner scope (:func:`crm.accounts.access.visible_owner_ids`; None = everyone's) and
returns plain data (:class:`Report`), so the page, the JSON endpoint and the workbook show the same numbers.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm.customers.models import Customer
from crm.orders.contracts import Contract
from services.reporting.kpis import SIGNED, kpi_reports
from services.reporting.report_types import Report, Series, money, scoped
from services.reporting.service_analyses import service_reports

BREAKDOWNS: dict[str, str] = {
    "industry": "Industry", "size": "Size", "region": "Region", "source": "Source", "grade": "Grade",
}
"""Customer attributes the customer analyses group by (§5)."""
NOT_SET = "(not set)"

NOT_SUPPORTED: dict[str, str] = {
    "Margin (§9)": "contracts record the selling price only, no costs, so there is no margin to show.",
    "Share of wallet (§5)": "the CRM does not record what customers buy from other suppliers.",
    "Salesperson growth vs customers' overall growth (§5)":
        "customers' total purchases (from every supplier) are not recorded.",
}
"""Requested figures the data cannot support, with the reason shown on the page instead of a number."""


def customer_breakdown(session: Session, scope: set[int] | None, attribute: str) -> Report:
    """Visible customers grouped by ``attribute``: how many, and the amount of their signed contracts."""
    column = getattr(Customer, attribute)
    contracted = (select(Contract.customer_id, func.sum(Contract.amount).label("amount"))
                  .where(*SIGNED).group_by(Contract.customer_id).subquery())
    query = (select(column, func.count(Customer.id), func.sum(contracted.c.amount))
             .outerjoin(contracted, contracted.c.customer_id == Customer.id).group_by(column).order_by(column))
    rows = session.execute(scoped(query, Customer.owner_id, scope)).all()
    name = BREAKDOWNS[attribute]
    return Report(
        key=f"customers_by_{attribute}", title=f"Customers by {name.lower()}", section="customers",
        labels=[value or NOT_SET for value, _, _ in rows],
        series=[Series("Customers", [count for _, count, _ in rows]),
                Series("Contracted amount", [money(amount) for _, _, amount in rows], axis="y2")],
        note="Contracted amount: all contracts signed by both sides, by the customer's attribute today.",
    )


def build_reports(session: Session, scope: set[int] | None, today: dt.date | None = None, *,
                  service_staff: bool = False) -> list[Report]:
    """Every report of the page, in the order shown: customers, KPIs by month, service.

    ``service_staff`` (service agents, engineers) see the service analyses of every customer: the department's
    work is not divided by customer owner.
    """
    today = today or dt.date.today()
    return [
        *(customer_breakdown(session, scope, attribute) for attribute in BREAKDOWNS),
        *kpi_reports(session, scope, today),
        *service_reports(session, None if service_staff else scope, today),
    ]
