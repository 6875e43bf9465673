"""The record pages read each kind of data they show once, however many rows and owners a page holds (no
statement per row): counted in SQL statements per request, which do not depend on the machine's load."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from crm.accounts.users import User
from crm.customers.models import Customer
from crm.sales.opportunities import create_opportunity
from tests.support.statements import reading, statements


@pytest.fixture
def two_owners(platform):
    """Six customers with an open opportunity each, owned by ``sales`` and ``sales2`` (both report to
    ``salesdir``), in three industries and two regions."""
    with platform.sessions.begin() as session:
        owners = [session.scalar(select(User).where(User.username == name)) for name in ("sales", "sales2")]
        for n in range(6):
            customer = Customer(company=f"Harbour Works {n}", industry=("Shipping", "Steel", "Ports")[n % 3],
                                region=("East", "North")[n % 2], owner=owners[n % 2])
            session.add(customer)
            session.flush()
            create_opportunity(session, customer, f"Crane {n}", Decimal(1000 + n), owners[n % 2].username,
                               owner=owners[n % 2], stage=1 + n % 3)


def _owner_reads(seen: list[str]) -> list[str]:
    """Statements reading users or their roles other than the signed-in user's (the request's first)."""
    return [s for s in seen[seen.index(next(s for s in seen if s.startswith("SELECT app_user"))) + 1:]
            if s.startswith(("SELECT app_user", "SELECT user_role"))]


@pytest.mark.parametrize("url", ["/customers/", "/customers/?q=harbour"])
def test_the_customer_list_reads_customers_with_owners_and_its_filter_choices_once(platform, login, two_owners,
                                                                                    url):
    director = login("salesdir")
    director.get(url)
    with statements(platform) as seen:
        page = director.get(url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and html.count('data-customer-id="') == 6
    assert 'data-count="customers">6<' in html
    for option in ("<option>Shipping</option>", "<option>Ports</option>", "<option>North</option>"):
        assert option in html
    # the page with its total and owners, then every filter's choices: two statements, whoever owns the rows
    assert len(reading(seen, "customer")) == 2, "\n".join(seen)
    assert _owner_reads(seen) == [], "\n".join(seen)
    assert len(seen) <= 6, "\n".join(seen)


def test_a_page_past_the_end_of_the_customer_list_still_counts_the_customers(platform, login, two_owners):
    html = login("salesdir").get("/customers/?page=3").get_data(as_text=True)
    assert 'data-count="customers">6<' in html and 'data-customer-id="' not in html


def test_the_pipeline_reads_its_opportunities_with_customers_and_owners_in_one_statement(platform, login,
                                                                                         two_owners):
    director = login("salesdir")
    director.get("/opportunities/")
    with statements(platform) as seen:
        page = director.get("/opportunities/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and html.count('class="card crm-opp"') == 6
    assert "Harbour Works 5" in html
    assert len(reading(seen, "opportunity")) == 1 and len(reading(seen, "customer")) == 1, "\n".join(seen)
    assert _owner_reads(seen) == [], "\n".join(seen)
    assert len(seen) <= 5, "\n".join(seen)
