"""A known two-year dataset for the KPI page (2024 the baseline year, 2025 the year shown): Sam and Sue, team
Sales. Figures are in the docstring of :func:`make_kpi_dataset`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from crm.accounts.users import Team, User
from crm.customers.models import Customer
from crm.customers.wallet import record_estimate
from crm.orders.contracts import Contract, ContractLine
from crm.sales.expenses import create_claim, review_claim
from crm.sales.opportunities import Opportunity
from crm.service.service_desk import FollowUp, ServiceOrder, ServiceRequest


def _contract(customer: Customer, amount: str, day: dt.date, cost: str | None = None) -> Contract:
    contract = Contract(customer=customer, owner=customer.owner, title="Deal", amount=Decimal(amount),
                        status="active", company_signed_on=day, customer_signed_on=day)
    if cost is not None:
        contract.lines.append(ContractLine(position=1, description="Goods", quantity=Decimal(1),
                                           unit_price=Decimal(amount), amount=Decimal(amount),
                                           unit_cost=Decimal(cost)))
    return contract


def _opportunity(customer: Customer, status: str, closed: dt.date, days_open: int) -> Opportunity:
    at = dt.datetime.combine(closed, dt.time(4))
    return Opportunity(customer=customer, owner=customer.owner, name="Deal", amount=Decimal(1000), status=status,
                       closed_at=at, created_at=at - dt.timedelta(days=days_open))


def _follow_up(customer: Customer, day: dt.date, attitude: int, quality: int) -> list:
    at = dt.datetime.combine(day, dt.time(4))
    request = ServiceRequest(customer=customer, channel="phone", request_type="repair", description="Leak",
                             created_at=at)
    order = ServiceOrder(request=request, customer=customer, planned_hours=Decimal(1), status="settled",
                         completed_at=at)
    return [request, order, FollowUp(order=order, attitude=attitude, quality=quality, created_at=at)]


def _claim(session, claimant: User, amount: str, day: dt.date) -> None:
    claim = create_claim(session, claimant=claimant, customer_id=None, subject="visit", subject_id=None,
                         advance=Decimal(0), costs={"travel": Decimal(amount)})
    review_claim(session, claim, True, Decimal(amount))
    claim.created_at = dt.datetime.combine(day, dt.time(4))


def make_kpi_dataset(session) -> dict[str, int]:
    """Company, 2024 → 2025:
    sales 150,000 → 160,000 (Sam 100,000 → 120,000, Sue 50,000 → 40,000); marketing cost 1,000 → 1,200;
    win rate 2 of 4 = 50.0 → 3 of 4 = 75.0; sales cycle 30.0 → 20.0 days; satisfaction 4.0 → 4.5;
    gross margin 20.0 → 25.0 % (Sam's costed contracts; Sue's have no lines); share of wallet (Blue Whale)
    100,000 / 500,000 = 20.0 → 120,000 / 600,000 = 20.0."""
    users = {u.username: u for u in session.scalars(select(User))}
    whale = Customer(company="Blue Whale", industry="Shipping", region="East", grade="key", owner=users["sales"])
    ferries = Customer(company="Sue's Ferries", industry="Shipping", region="East", grade="ordinary",
                       owner=users["sales2"])
    session.add_all([
        whale, ferries,
        _contract(whale, "100000.00", dt.date(2024, 3, 10), cost="80000.00"),
        _contract(ferries, "50000.00", dt.date(2024, 6, 1)),
        _contract(whale, "120000.00", dt.date(2025, 2, 15), cost="90000.00"),
        _contract(ferries, "40000.00", dt.date(2025, 7, 1)),
        _opportunity(whale, "won", dt.date(2024, 5, 1), 40), _opportunity(ferries, "won", dt.date(2024, 8, 1), 20),
        _opportunity(whale, "lost", dt.date(2024, 9, 1), 5), _opportunity(ferries, "lost", dt.date(2024, 9, 2), 5),
        _opportunity(whale, "won", dt.date(2025, 3, 1), 10), _opportunity(whale, "won", dt.date(2025, 4, 1), 20),
        _opportunity(ferries, "won", dt.date(2025, 8, 1), 30), _opportunity(ferries, "lost", dt.date(2025, 9, 1), 5),
        *_follow_up(whale, dt.date(2024, 10, 1), 4, 4), *_follow_up(whale, dt.date(2025, 10, 1), 5, 4),
    ])
    session.flush()
    _claim(session, users["sales"], "1000.00", dt.date(2024, 4, 5))
    _claim(session, users["sales"], "1200.00", dt.date(2025, 5, 5))
    record_estimate(session, whale, 2024, Decimal(500000), "annual report", "sales")
    record_estimate(session, whale, 2025, Decimal(600000), "annual report", "sales")
    team = session.scalar(select(Team).where(Team.name == "Sales"))
    return {"sales": users["sales"].id, "sales2": users["sales2"].id, "team": team.id}
