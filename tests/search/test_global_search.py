"""Global search over HTTP: Chinese substrings, every kind, grouped, within the data scope and the roles."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from crm.accounts.users import User
from crm.customers.models import Contact, Customer
from crm.orders.quotes import create_quote
from crm.sales.opportunities import create_opportunity
from services.search import pattern


@pytest.fixture
def records(platform):
    """A customer of ``sales`` with a Chinese name, a contact, an opportunity and a quote; one of ``sales2``."""
    with platform.sessions.begin() as session:
        users = {u.username: u for u in session.scalars(select(User))}
        mine = Customer(company="上海船舶重工有限公司", owner=users["sales"], phone="021-5550-1234",
                        email="buy@shipyard.cn", region="East", registry_number="91310000MA1FL4XQ3B")
        mine.contacts.append(Contact(name="王建国", email="wang@shipyard.cn", mobile="13800138000"))
        theirs = Customer(company="大连船舶工业公司", owner=users["sales2"])
        session.add_all([mine, theirs])
        session.flush()
        opp = create_opportunity(session, mine, "两艘液化气船", Decimal("1000"), "sales")
        quote = create_quote(session, mine, users["sales"], "Feeder 100% spares_kit", dt.date(2031, 1, 1))
        session.flush()
        return {"mine": mine.id, "theirs": theirs.id, "opp": opp.id, "quote": quote.id, "number": quote.number}


def _page(user, query: str) -> str:
    response = user.get("/search/", query_string={"q": query})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_chinese_substring_finds_the_customer_in_scope_only(login, records):
    page = _page(login("sales"), "船舶")
    assert "上海船舶重工有限公司" in page and f'data-hit="customers-{records["mine"]}"' in page
    assert "大连船舶工业公司" not in page  # sales2's customer
    director = _page(login("salesdir"), "船舶")
    assert "上海船舶重工有限公司" in director and "大连船舶工业公司" in director


@pytest.mark.parametrize(("query", "hit"), [
    ("重工", "customers-{mine}"),              # 2 characters: names
    ("5550-12", "customers-{mine}"),           # phone
    ("buy@shipyard", "customers-{mine}"),      # e-mail
    ("MA1FL4XQ", "customers-{mine}"),          # registry number
    ("王建国", "customers-{mine}"),             # contact name finds the customer
    ("1380013", "contacts-{mine}"),            # contact's mobile
    ("液化气", "opportunities-{opp}"),
    ("{number}", "quotes-{quote}"),            # quote number
    ("100% spares_", "quotes-{quote}"),        # LIKE wildcards taken literally
])
def test_every_kind_is_found(login, records, query, hit):
    page = _page(login("sales"), query.format(**records))
    assert f'data-hit="{hit.format(**records)}"' in page


def test_wildcards_are_literal_and_nothing_found_is_said(login, records):
    assert pattern("a%b_c\\") == "%a\\%b\\_c\\\\%"
    assert 'id="search-none"' in _page(login("sales"), "%%%")
    assert 'id="search-none"' in _page(login("sales"), "x" * 500)


def test_kinds_follow_the_roles_and_scope(login, records):
    assert 'data-kind="quotes"' not in _page(login("agent"), records["number"])  # no quote pages for service
    assert 'data-kind="customers"' not in _page(login("agent"), "船舶")  # owns no customers (as the list)
    admin = _page(login("admin"), records["number"])
    assert f'data-hit="quotes-{records["quote"]}"' in admin
    assert 'data-hit="customers-{mine}"'.format(**records) in _page(login("custdir"), "buy@shipyard")


def test_the_navbar_has_the_search_box(login):
    page = login("sales").get("/worklist/").get_data(as_text=True)
    assert 'role="search"' in page and 'id="crm-search-q"' in page and 'href="/search/"' in page
    assert login("sales").client.get("/search/?q=x").status_code == 200
