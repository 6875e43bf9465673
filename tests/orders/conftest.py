"""Fixtures of the order and service tests: processes deployed, lane users, customers, catalogue, engineers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from crm.accounts.access import create_user
from crm.accounts.users import User
from crm.customers.models import Customer
from crm.orders.catalog import add_product
from crm.orders.contracts import ContractTemplate
from crm.service.engineers import add_engineer
from tests.support.api_driver import LaneDesk, bpmn_files

from .driver import ORDER_FILES, value_for

SKILLS = ["hull", "electrical", "propulsion", "hydraulics", "automation"]
SERVICE_ITEMS = {"SVC-INSPECT": "450.00", "SVC-REPAIR": "1200.00", "SVC-PARTS": "333.33",
                 "SVC-COMMISSION": "2000.00", "SVC-TRAINING": "800.00"}


@pytest.fixture
def order_processes(platform):
    with platform.sessions.begin() as session:
        platform.engine.deploy(session, bpmn_files(ORDER_FILES), "owner")


@pytest.fixture
def desk(platform, login, order_processes):
    return LaneDesk(platform, login, value_for)


def _user(session, username: str, name: str, roles: list[str]) -> User:
    """A user created once per test database (users survive between tests)."""
    return session.scalar(select(User).where(User.username == username)) or create_user(
        session, username, "demo", name, roles, phone="+86 555 0199")


@pytest.fixture
def shop(platform):
    """Customers of each grade owned by ``sales``, the catalogue, a contract template and two engineers."""
    with platform.sessions.begin() as session:
        sales = session.scalar(select(User).where(User.username == "sales"))
        customers = {}
        for grade, company in (("key", "Blue Whale Lines"), ("ordinary", "Harbour Ferries"),
                               ("prospect", "New Tide Shipping")):
            customer = Customer(company=company, grade=grade, owner=sales, region="East")
            session.add(customer)
            session.flush()
            customers[grade] = customer.id
        products = {
            "HULL": add_product(session, "HULL-40", "40 m patrol hull", Decimal("250000.00")).id,
            "ENGINE": add_product(session, "ENG-2000", "2000 kW engine", Decimal("123456.78")).id,
        }
        for code, price in SERVICE_ITEMS.items():
            add_product(session, code, code.title(), Decimal(price), kind="service_item")
        template = ContractTemplate(name="Standard sales contract",
                                    body="<h1>Contract {{ contract.number }}</h1><p>{{ customer.company }}</p>"
                                         "<p>Total {{ contract.amount|money }}</p>")
        session.add(template)
        engineer = session.scalar(select(User).where(User.username == "engineer"))
        second = _user(session, "engineer2", "Ed Engineer", ["engineer"])
        add_engineer(session, engineer, SKILLS)
        add_engineer(session, second, ["hull", "electrical"], work_start=dt.time(7, 0), work_end=dt.time(15, 0))
        session.flush()
        return {"customers": customers, "products": products, "template": template.id,
                "engineer_user": engineer.id, "engineer2_user": second.id}
