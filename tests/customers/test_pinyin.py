"""Chinese names by pinyin (issue 14 item 9): ``bjsj`` or ``beijing`` finds 北京世纪…, in the global search and the
customer list's filter; the customer and contact lists sort Chinese names by their pinyin."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from crm.accounts.users import User
from crm.customers.models import Contact, Customer
from crm.customers.names import pinyin_keys, pinyin_query

NAMES = ("北京世纪重工有限公司", "安徽机械厂", "重庆长安配件公司", "Ocean Shipping Co.", "大连船舶工业公司")
"""Sorted by pinyin: anhui…, beijing…, chongqing…, dalian…, ocean… (by Unicode code point they would not be)."""


def test_pinyin_keys():
    assert pinyin_keys("北京世纪重工有限公司") == ("beijingshijizhonggongyouxiangongsi", "bjsjzgyxgs")
    assert pinyin_keys("重庆 ABC 配件") == ("chongqingabcpeijian", "cqapj")
    assert pinyin_keys("Ocean Shipping Co.") == ("oceanshippingco", "osc")
    assert pinyin_query(" Bei Jing ") == "beijing" and pinyin_query("北京") == "" and pinyin_query("bj-sj") == "bjsj"


@pytest.fixture
def customers(platform):
    """The :data:`NAMES` as customers of ``sales``, each with a contact of a Chinese name."""
    people = ("周杰", "艾伦", "陈明", "Zoe Li", "邓华")
    with platform.sessions.begin() as session:
        sales = session.scalar(select(User).where(User.username == "sales"))
        for company, person in zip(NAMES, people, strict=True):
            customer = Customer(company=company, owner=sales)
            customer.contacts.append(Contact(name=person))
            session.add(customer)
        session.flush()
        return {c.company: c.id for c in session.scalars(select(Customer))}


def _hits(page: str, kind: str) -> list[str]:
    section = page.split(f'data-kind="{kind}"', 1)[1].split("</section>", 1)[0] if f'data-kind="{kind}"' in page else ""
    return re.findall(r'<span class="fw-semibold">([^<]+)</span>', section)


@pytest.mark.parametrize("query", ["bjsj", "BJSJZG", "beijing", "Bei Jing Shi Ji", "shiji"])
def test_global_search_finds_a_customer_by_pinyin_or_its_initials(login, customers, query):
    page = login("sales").get("/search/", query_string={"q": query}).get_data(as_text=True)
    assert _hits(page, "customers") == ["北京世纪重工有限公司"]


def test_global_search_finds_a_contact_by_pinyin(login, customers):
    page = login("sales").get("/search/", query_string={"q": "chenming"}).get_data(as_text=True)
    assert _hits(page, "contacts") == ["陈明"]
    assert _hits(page, "customers") == ["重庆长安配件公司"]  # as their name does, their name's pinyin finds the company


def test_pinyin_search_stays_within_the_data_scope(login, customers):
    page = login("sales2").get("/search/", query_string={"q": "bjsj"}).get_data(as_text=True)
    assert _hits(page, "customers") == []


def test_customer_list_filters_by_pinyin_initials(login, customers):
    page = login("sales").get("/customers/", query_string={"q": "cqcapj"}).get_data(as_text=True)
    assert re.findall(r'data-customer-id="(\d+)"', page) == [str(customers["重庆长安配件公司"])]
    page = login("sales").get("/customers/", query_string={"q": "dalian"}).get_data(as_text=True)
    assert re.findall(r'data-customer-id="(\d+)"', page) == [str(customers["大连船舶工业公司"])]


def test_customer_list_sorts_by_pinyin(login, customers):
    page = login("sales").get("/customers/").get_data(as_text=True)
    shown = [int(i) for i in re.findall(r'data-customer-id="(\d+)"', page)]
    assert shown == [customers[name] for name in ("安徽机械厂", "北京世纪重工有限公司", "重庆长安配件公司",
                                                  "大连船舶工业公司", "Ocean Shipping Co.")]


def test_table_lists_sort_companies_and_contacts_by_pinyin(login, customers):
    sales = login("sales")
    page = sales.get("/lists/customers", query_string={"sort": "company", "dir": "asc"}).get_data(as_text=True)
    assert [customers[n] for n in ("安徽机械厂", "北京世纪重工有限公司", "重庆长安配件公司", "大连船舶工业公司",
                                   "Ocean Shipping Co.")] == [int(i) for i in re.findall(r'data-row-id="(\d+)"', page)]
    page = sales.get("/lists/contacts", query_string={"sort": "name", "dir": "asc"}).get_data(as_text=True)
    names = re.findall(r'<a href="/customers/\d+">([^<]+)</a>', page)
    assert names == ["艾伦", "陈明", "邓华", "周杰", "Zoe Li"]  # zhou… before zoe…


def test_renaming_keeps_the_pinyin(platform, customers):
    with platform.sessions.begin() as session:
        customer = session.get(Customer, customers["安徽机械厂"])
        customer.company = "上海机械厂"
        customer.contacts[0].name = "李娜"
    with platform.sessions() as session:
        customer = session.get(Customer, customers["安徽机械厂"])
        assert (customer.name_pinyin, customer.name_initials) == ("shanghaijixiechang", "shjxc")
        assert customer.contacts[0].name_initials == "ln"
