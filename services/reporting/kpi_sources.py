"""The KPI page's sources, read once for every scope it shows (the company or the filter's choice, each salesperson,
each team): each source's rows over the two years the page compares, every row with the owner whose scope it
counts in. A scope's monthly parts (:mod:`.kpi_measures`) are computed from its owners' rows, so the page's
statements do not grow with the number of salespeople and teams."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from sqlalchemy import Row, Select, select
from sqlalchemy.orm import Session

from crm.customers.models import Customer
from crm.customers.wallet import WalletEstimate
from crm.orders.contracts import Contract
from services.reporting.bound import Shape, parameters, shape_of, within
from services.reporting.filters import ReportFilter
from services.reporting.kpis import (
    CAMPAIGNS_WITHIN,
    SIGNED_WITHIN,
    claims_statement,
    closed_statement,
    follow_up_statement,
)
from services.reporting.margin_report import signed_contracts
from services.reporting.wallet_analyses import YEARS

SOURCES = {"sales": "contracts", "marketing_cost": "claims", "win_rate": "opportunities",
           "sales_cycle": "opportunities", "satisfaction": "follow_ups", "margin": "margin",
           "share_of_wallet": "estimates"}
"""The source each KPI is computed from."""


@dataclass(frozen=True)
class KpiSources:
    """The rows of each source read (by source name), owner first; ``window`` is the period they cover."""

    window: ReportFilter
    rows: dict[str, list] = field(default_factory=dict)
    campaigns: list[Row] = field(default_factory=list)
    """Company-wide costs: read only when neither a data scope nor a customer attribute narrows the figures."""
    wallet_sales: list[Row] = field(default_factory=list)
    """(customer, amount, signed by us, signed by them) of the contracts of the customers with an estimate."""

    def of(self, source: str, owners: set[int] | None) -> list:
        """The rows of ``source`` that count in the scope of ``owners`` (None: everyone's)."""
        found = self.rows.get(source, [])
        return found if owners is None else [row for row in found if row[0] in owners]


def read_sources(session: Session, scope: set[int] | None, window: ReportFilter, keys: list[str]) -> KpiSources:
    """The rows of the sources of the KPIs ``keys`` over ``window``, within the viewer's ``scope`` and the
    filter's customer attributes: one statement per source (two for the share of wallet when any customer has an
    estimate, one more for the campaigns when nothing narrows the figures)."""
    shape, values = shape_of(scope, window), parameters(scope, window)
    wanted = {SOURCES[key] for key in keys}
    rows: dict[str, list] = {}
    statements = {"contracts": _contracts_statement, "claims": claims_statement, "opportunities": closed_statement,
                  "follow_ups": follow_up_statement}
    for source, statement in statements.items():
        if source in wanted:
            rows[source] = list(session.execute(statement(shape), values))
    campaigns = []
    if "claims" in wanted and not shape.scoped and not shape.attributes:
        campaigns = list(session.execute(CAMPAIGNS_WITHIN, values))
    if "margin" in wanted:
        rows["margin"] = [(contract.owner_id, contract) for contract in signed_contracts(session, scope, window)]
    wallet_sales = []
    if "estimates" in wanted:
        values["years"] = list(range(window.first.year, window.last.year + 1))
        latest = {(row.customer_id, row.year): row for row in session.execute(_estimates_statement(shape), values)}
        rows["estimates"] = list(latest.values())
        if latest:
            wallet_sales = list(session.execute(_wallet_sales_statement(shape), values))
    return KpiSources(window, rows, campaigns, wallet_sales)


@cache
def _contracts_statement(shape: Shape) -> Select:
    query = select(Contract.owner_id, Contract.amount, Contract.company_signed_on,
                   Contract.customer_signed_on).where(*SIGNED_WITHIN)
    return within(query, Contract.owner_id, Contract.customer_id, shape)


@cache
def _estimates_statement(shape: Shape) -> Select:
    """The visible customers' estimates of the window's years, the one entered last coming last."""
    query = (select(Customer.owner_id, WalletEstimate.customer_id, WalletEstimate.year, WalletEstimate.amount)
             .join(Customer, Customer.id == WalletEstimate.customer_id)
             .where(WalletEstimate.year.in_(YEARS)))
    return within(query, Customer.owner_id, Customer.id, shape).order_by(WalletEstimate.entered_at, WalletEstimate.id)


@cache
def _wallet_sales_statement(shape: Shape) -> Select:
    """The contracts signed in the window of the customers with an estimate in it (whoever owns the contract)."""
    estimated = _estimates_statement(shape).with_only_columns(WalletEstimate.customer_id).order_by(None)
    return select(Contract.customer_id, Contract.amount, Contract.company_signed_on,
                  Contract.customer_signed_on).where(*SIGNED_WITHIN, Contract.customer_id.in_(estimated))
