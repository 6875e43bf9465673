"""The one list component over HTTP: paging, sorting, filters, data scope, roles and CSV/XLSX exports of what
is filtered (formula-looking text written as text)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from crm.accounts.users import User
from crm.customers.models import Customer
from crm.orders.quotes import create_quote
from crm.sales.opportunities import create_opportunity
from services.list_specs import SPECS
from tests.support.statements import reading, statements


@pytest.fixture
def customers(platform):
    with platform.sessions.begin() as session:
        users = {u.username: u for u in session.scalars(select(User))}
        rows = [Customer(company=f"Yard {n:02d}", region="East" if n % 2 else "North", grade="key",
                         owner=users["sales"]) for n in range(30)]
        rows.append(Customer(company="=HYPERLINK(\"http://x\")", owner=users["sales"], grade="prospect"))
        rows.append(Customer(company="Theirs Ltd.", owner=users["sales2"]))
        session.add_all(rows)
        session.flush()
        create_opportunity(session, rows[0], "Big one", Decimal("1000000000000") - Decimal("0.01"), "sales")
        create_quote(session, rows[0], users["sales"], "-2+3", dt.date(2031, 1, 1))
    return rows


def test_paging_sorting_filters_and_scope(login, customers):
    sales = login("sales")
    page = sales.get("/lists/customers").get_data(as_text=True)
    assert 'data-count="customers">31<' in page and "Theirs Ltd." not in page
    assert page.count("data-row-id=") == 25 and "Page 1 of 2" in page
    second = sales.get("/lists/customers?page=2").get_data(as_text=True)
    assert second.count("data-row-id=") == 6
    east = sales.get("/lists/customers?region=Ea&grade=key").get_data(as_text=True)
    assert 'data-count="customers">15<' in east
    desc = sales.get("/lists/customers?sort=company&dir=desc").get_data(as_text=True)
    assert desc.index("Yard 29") < desc.index("Yard 28")
    assert 'data-count="customers">32<' in login("salesdir").get("/lists/customers").get_data(as_text=True)
    assert sales.get("/lists/customers?sort=nonsense&page=abc&grade=nope").status_code == 200
    assert sales.get("/lists/nothing").status_code == 404


def test_money_reads_without_scientific_notation_and_keys_as_labels(login, customers):
    page = login("sales").get("/lists/opportunities").get_data(as_text=True)
    assert "999,999,999,999.99" in page and "E+" not in page
    assert "1 · First contact" in page and ">Open<" in page


def test_exports_hold_the_filtered_rows_with_formulas_as_text(login, customers):
    sales = login("sales")
    response = sales.get("/lists/customers/export.csv?grade=prospect")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["#", "Company", "Industry"] and len(rows) == 2
    assert rows[1][1] == "'=HYPERLINK(\"http://x\")"
    book = load_workbook(io.BytesIO(sales.get("/lists/quotes/export.xlsx").data))
    sheet = book.active
    assert sheet["C2"].value == "-2+3" and sheet["C2"].data_type == "s" and sheet["C2"].quotePrefix
    opp = load_workbook(io.BytesIO(sales.get("/lists/opportunities/export.xlsx").data)).active
    assert opp["F2"].value == Decimal("999999999999.99") or opp["F2"].value == 999999999999.99
    assert opp["F2"].number_format == "#,##0.00"
    all_rows = sales.get("/lists/customers/export.csv").get_data(as_text=True).strip().splitlines()
    assert len(all_rows) == 32  # every page, not just the first


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_list_renders_and_exports_for_an_allowed_role(login, customers, name):
    user = login("admin")
    assert user.get(f"/lists/{name}").status_code == 200
    assert user.get(f"/lists/{name}/export.xlsx").status_code == 200


@pytest.mark.parametrize(("user", "name", "status"), [
    ("agent", "quotes", 403), ("engineer", "contracts", 403), ("sales", "service_requests", 403),
    ("sales", "instances", 403), ("finance", "payments", 200), ("agent", "service_orders", 200),
    ("mktdir", "customers", 200), ("sales", "payments", 403),
])
def test_lists_follow_the_roles(login, user, name, status):
    assert login(user).get(f"/lists/{name}").status_code == status
    assert login(user).get(f"/lists/{name}/export.csv").status_code == status


def test_quote_and_contract_pages_are_paged(platform, login, customers):
    with platform.sessions.begin() as session:
        owner = session.scalar(select(User).where(User.username == "sales"))
        customer = session.get(Customer, customers[1].id)
        for n in range(30):
            create_quote(session, customer, owner, f"Spare parts {n}", dt.date(2031, 1, 1))
    sales = login("sales")
    first = sales.get("/quotes/").get_data(as_text=True)
    assert "Page 1 of 2 · 31 rows" in first and 'data-table-link="quotes"' in first
    assert "Page 2 of 2" in sales.get("/quotes/?page=2").get_data(as_text=True)
    assert sales.get("/quotes/?page=999").status_code == 200
    assert 'data-table-link="contracts"' in sales.get("/contracts/").get_data(as_text=True)
    assert 'data-table-link="service_requests"' in login("agent").get("/service/").get_data(as_text=True)


def test_a_page_and_its_total_are_one_statement_and_a_page_past_the_end_shows_the_last(platform, login, customers):
    sales = login("sales")
    sales.get("/lists/customers?page=2")
    with statements(platform) as seen:
        second = sales.get("/lists/customers?page=2").get_data(as_text=True)
    assert second.count("data-row-id=") == 6 and 'data-count="customers">31<' in second
    assert len(reading(seen, "customer")) == 1, "\n".join(seen)  # the rows carry their total
    with statements(platform) as seen:
        past = sales.get("/lists/customers?page=9").get_data(as_text=True)
    assert past.count("data-row-id=") == 6 and "Page 2 of 2" in past and 'data-count="customers">31<' in past
    assert len(reading(seen, "customer")) == 3, "\n".join(seen)  # nothing on page 9, the count, page 2
    nothing = sales.get("/lists/customers?company=no+such+yard&page=3").get_data(as_text=True)
    assert 'data-count="customers">0<' in nothing and "Nothing matches." in nothing
