"""Fixtures of the sales tests: the sales processes deployed, lane users, customers owned by ``sales``."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from crm.accounts.users import User
from crm.customers.models import Contact, Customer
from crm.sales.opportunities import close_opportunity, create_opportunity
from tests.support.api_driver import bpmn_files

from .driver import SALES_FILES, Team


@pytest.fixture
def sales_processes(platform):
    with platform.sessions.begin() as session:
        platform.engine.deploy(session, bpmn_files(SALES_FILES), "owner")


@pytest.fixture
def team(platform, login, sales_processes):
    return Team(platform, login)


@pytest.fixture
def make_customer(platform):
    """``make_customer(won=Decimal(...), owner="sales")`` -> customer id (with one contact)."""
    def make(company: str = "Ocean Shipping Co.", *, owner: str = "sales", grade: str = "prospect",
             won: Decimal | None = None) -> int:
        with platform.sessions.begin() as session:
            user = session.scalar(select(User).where(User.username == owner))
            customer = Customer(company=company, industry="Shipping", region="East", owner=user, grade=grade)
            customer.contacts.append(Contact(name="Li Wei", title="Purchasing manager", email="li@example.com"))
            session.add(customer)
            session.flush()
            if won:
                opp = create_opportunity(session, customer, "Earlier order", won, owner)
                close_opportunity(session, opp, True, owner)
            return customer.id

    return make
