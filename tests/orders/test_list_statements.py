"""The projects list in a fixed number of SQL statements, however many projects (issue 18): the data scope is
applied in the query, and each project's customer, contract and responsible person come with it (it used to read
the scope and the customer again for every project). Counted, not timed."""

from __future__ import annotations

from sqlalchemy import select

from crm.accounts.users import User
from crm.customers.models import Customer
from crm.orders.projects import create_project
from tests.support.statements import statements as counted


def statements(platform):
    """The statements sent inside the block, without SQLite's explicit transaction starts."""
    return counted(platform, without_begin=True)


def _projects(platform, owner: str, count: int) -> None:
    with platform.sessions.begin() as session:
        user = session.scalar(select(User).where(User.username == owner))
        for n in range(count):
            customer = Customer(company=f"{owner} customer {n}", owner=user)
            session.add(customer)
            session.add(create_project(session, f"{owner} project {n}", customer, user))


def _listed(platform, client) -> tuple[int, str]:
    with statements(platform) as seen:
        page = client.get("/projects/")
    assert page.status_code == 200
    return len(seen), page.get_data(as_text=True)


def test_the_projects_list_does_not_grow_with_the_projects(platform, login):
    sales = login("sales")
    _projects(platform, "sales", 1)
    _projects(platform, "sales2", 1)
    sales.get("/projects/")
    few, page = _listed(platform, sales)
    assert "sales project 0" in page and "sales2 project 0" not in page  # the scope still holds
    _projects(platform, "sales2", 3)
    with platform.sessions.begin() as session:  # more of sales's own, under new names
        user = session.scalar(select(User).where(User.username == "sales"))
        for n in range(1, 5):
            customer = Customer(company=f"more {n}", owner=user)
            session.add(customer)
            session.add(create_project(session, f"more project {n}", customer, user))
    many, page = _listed(platform, sales)
    assert all(f"more project {n}" in page for n in range(1, 5)) and "sales2 project" not in page
    assert many == few, "statements grew with the projects"


def test_the_quotes_and_contracts_lists_read_the_scope_once(platform, login):
    salesdir = login("salesdir")
    for url in ("/quotes/", "/contracts/"):
        with statements(platform) as seen:
            assert salesdir.get(url).status_code == 200
        assert len([s for s in seen if "RECURSIVE" in s]) == 1, "\n".join(seen)
