"""§9 gross margin by month: signed contracts' amount before tax less what their lines cost us
(:mod:`crm.orders.margins`). Shown only to roles allowed to see costs."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from functools import cache

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, joinedload

from crm.orders.contracts import Contract, ContractLine
from crm.orders.margins import contract_margin
from i18n import _
from services.reporting.bound import Shape, parameters, shape_of, within
from services.reporting.filters import ReportFilter
from services.reporting.kpis import SIGNED_WITHIN
from services.reporting.report_types import Report, Series, money


def monthly_margins(session: Session, scope: set[int] | None,
                    report_filter: ReportFilter) -> tuple[dict[str, Decimal], dict[str, Decimal], dict[str, int]]:
    """Per month of signing: net amount and cost of contracts whose every line has a cost, and how many
    contracts were left out for want of costs. One statement (contracts, lines and products joined)."""
    return margins_of(signed_contracts(session, scope, report_filter), report_filter)


def signed_contracts(session: Session, scope: set[int] | None, report_filter: ReportFilter) -> list[Contract]:
    """The contracts signed in the period, with their lines and the lines' products."""
    return list(session.scalars(_contracts_statement(shape_of(scope, report_filter)),
                                parameters(scope, report_filter)).unique())


def margins_of(contracts: list[Contract],
               report_filter: ReportFilter) -> tuple[dict[str, Decimal], dict[str, Decimal], dict[str, int]]:
    """:func:`monthly_margins` of ``contracts``."""
    net: dict[str, Decimal] = defaultdict(Decimal)
    cost: dict[str, Decimal] = defaultdict(Decimal)
    left_out: dict[str, int] = defaultdict(int)
    for contract in contracts:
        month = report_filter.month_of(max(contract.company_signed_on, contract.customer_signed_on))
        margin = contract_margin(contract)
        if margin.cost is None:
            left_out[month] += 1
        else:
            net[month] += margin.net
            cost[month] += margin.cost
    return net, cost, left_out


@cache
def _contracts_statement(shape: Shape) -> Select:
    query = (select(Contract).where(*SIGNED_WITHIN)
             .options(joinedload(Contract.lines).joinedload(ContractLine.product)))
    return within(query, Contract.owner_id, Contract.customer_id, shape)


def margin_percent(net: Decimal, cost: Decimal) -> float | None:
    """Gross margin over net amount in percent (one decimal), none without a net amount."""
    return round(float((net - cost) * 100 / net), 1) if net > 0 else None


def margin_by_month(session: Session, scope: set[int] | None, report_filter: ReportFilter) -> Report:
    """Net amount, cost and gross margin % of the contracts signed each month."""
    labels = report_filter.labels
    net, cost, left_out = monthly_margins(session, scope, report_filter)
    return Report("margin", _("Gross margin"), labels, [
        Series(_("Net amount"), [money(net[m]) for m in labels], unit="money"),
        Series(_("Cost"), [money(cost[m]) for m in labels], unit="money"),
        Series(_("Gross margin %"), [margin_percent(net[m], cost[m]) for m in labels], axis="y2", kind="line",
               unit="percent"),
        Series(_("Contracts without costs"), [left_out[m] for m in labels]),
    ], section="kpis", monthly=True,
        note=_("Contracts signed in the month, amount before tax less the cost of their lines (the line's own "
               "cost or the product's standard cost); a contract with a line of unknown cost is counted apart."))
