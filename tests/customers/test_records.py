"""Creating and editing customers and contacts over HTTP: field checks, duplicate warning, concurrent edits,
deactivation, logging an activity from the customer's page (issue 12 items 1-2, "Bad input")."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from crm import fields
from crm.customers.models import Contact, Customer
from crm.customers.names import name_key
from crm.sales.activities import Activity

USCC = "91310000MA1FL8LQ34"  # a valid unified social credit code (check digit 4)


def _valid() -> dict[str, str]:
    return {"company": "上海船舶重工有限公司", "registry_number": USCC, "industry": "Shipbuilding",
            "region": "East China", "phone": "021-5555 0199", "email": "Info@ChuanBo.example.com",
            "website": "www.chuanbo.example.com", "grade": "prospect", "relationship_type": "occasional"}


def _customer(platform, customer_id: int) -> Customer:
    with platform.sessions() as session:
        customer = session.get(Customer, customer_id)
        session.expunge(customer)
        return customer


def _created_id(response) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    return int(re.search(r"/customers/(\d+)$", response.headers["Location"]).group(1))


def test_field_checks():
    assert fields.phone("021-5555 0199") == "+86 21 5555 0199"
    assert fields.phone("13800138000") == "+86 138 0013 8000"
    assert fields.email(" Li.Wei@Example.COM ") == "Li.Wei@example.com"
    assert fields.registry_number("9131 0000 MA1F L8LQ 34") == USCC
    assert fields.registry_number("HRB 12345") == "HRB12345"  # another registry's number: no checksum
    assert fields.website("example.com/about") == "https://example.com/about"
    for check, bad in ((fields.phone, "12"), (fields.email, "li@"), (fields.registry_number, USCC[:-1] + "5"),
                       (fields.website, "ftp://x.example.com"), (fields.registry_number, "ab$%")):
        with pytest.raises(fields.FieldError):
            check(bad)


def test_names_compare_without_spaces_punctuation_and_legal_form():
    assert name_key("上海船舶重工有限公司") == name_key(" 上海 船舶重工 公司") == "上海船舶重工"
    assert name_key("Ocean Shipping Co., Ltd.") == name_key("OCEAN shipping company limited") == "oceanshipping"
    assert name_key("Taco Inc.") == "taco"


def test_salesperson_creates_a_customer_with_two_contacts(platform, login):
    sales = login("sales")
    assert sales.get("/customers/new").status_code == 200
    customer_id = _created_id(sales.post("/customers/new", data=_valid()))
    customer = _customer(platform, customer_id)
    assert (customer.company, customer.phone, customer.email, customer.website, customer.registry_number) == (
        "上海船舶重工有限公司", "+86 21 5555 0199", "info@chuanbo.example.com", "https://www.chuanbo.example.com", USCC)
    assert customer.owner_id is not None and customer.name_key == "上海船舶重工"
    first = sales.post(f"/customers/{customer_id}/contacts/new",
                       data={"name": "王伟", "title": "采购经理", "mobile": "13800138000", "is_main": "1"})
    assert first.status_code == 302
    second = sales.post(f"/customers/{customer_id}/contacts/new",
                        data={"name": "李娜", "email": "li.na@chuanbo.example.com", "is_main": "1"})
    assert second.status_code == 302
    with platform.sessions() as session:
        contacts = session.scalars(select(Contact).where(Contact.customer_id == customer_id).order_by(Contact.id))
        assert [(c.name, c.mobile, c.is_main) for c in contacts] == [
            ("王伟", "+86 138 0013 8000", False), ("李娜", "", True)]  # one main contact
    page = sales.get(f"/customers/{customer_id}").get_data(as_text=True)
    assert "王伟" in page and "李娜" in page and "Customer created" in page and "Contact added" in page


def test_bad_input_is_refused_by_the_field_and_kept(platform, login):
    sales = login("sales")
    form = {**_valid(), "company": "", "email": "bad@", "phone": "12", "registry_number": USCC[:-1] + "5",
            "website": "not a web address", "industry": "x" * 101, "grade": "vip"}
    response = sales.post("/customers/new", data=form)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    refused = set(re.findall(r'data-error-for="(\w+)"', page))
    assert refused == {"company", "email", "phone", "registry_number", "website", "industry", "grade"}
    assert 'value="bad@"' in page and 'value="12"' in page  # what the user typed stays
    with platform.sessions() as session:
        assert session.scalars(select(Customer)).all() == []
    contact = sales.post(f"/customers/{_created_id(sales.post('/customers/new', data=_valid()))}/contacts/new",
                         data={"name": "", "email": "wang@", "mobile": "abc"})
    assert contact.status_code == 422
    assert set(re.findall(r'data-error-for="(\w+)"', contact.get_data(as_text=True))) == {"name", "email", "mobile"}


def test_a_similar_customer_gets_a_duplicate_warning(platform, login):
    sales, sales2 = login("sales"), login("sales2")
    first_id = _created_id(sales.post("/customers/new", data=_valid()))
    similar = {"company": "上海 船舶重工 公司", "grade": "prospect", "relationship_type": "occasional"}
    warned = sales2.post("/customers/new", data=similar)
    assert warned.status_code == 409
    page = warned.get_data(as_text=True)
    assert f'data-duplicate-id="{first_id}"' in page and "same name" in page
    assert f'href="/customers/{first_id}"' not in page  # sales2 may not open sales' customer, only hear of it
    for other in ({"company": "Another name", "registry_number": USCC}, {"company": "Other", "phone": "+862155550199"},
                  {"company": "Third", "email": "info@chuanbo.example.com"}):
        response = sales.post("/customers/new", data=other)
        assert response.status_code == 409 and f'data-duplicate-id="{first_id}"' in response.get_data(as_text=True)
    confirmed = sales2.post("/customers/new", data={**similar, "confirm_duplicate": "1"})
    assert _created_id(confirmed) != first_id
    with platform.sessions() as session:
        assert len(session.scalars(select(Customer)).all()) == 2


def test_concurrent_edit_is_refused_with_who_and_when(platform, login):
    sales, director = login("sales"), login("salesdir")
    customer_id = _created_id(sales.post("/customers/new", data=_valid()))
    version = _customer(platform, customer_id).version
    assert f'name="version" value="{version}"' in sales.get(f"/customers/{customer_id}/edit").get_data(as_text=True)
    saved = director.post(f"/customers/{customer_id}/edit", data={**_valid(), "industry": "Ports",
                                                                  "version": version})
    assert saved.status_code == 302
    late = sales.post(f"/customers/{customer_id}/edit", data={**_valid(), "industry": "Offshore", "version": version})
    assert late.status_code == 409
    page = late.get_data(as_text=True)
    assert "Changed by salesdir at" in page and "reload" in page and 'value="Offshore"' in page
    assert _customer(platform, customer_id).industry == "Ports"
    assert "Customer edited" in sales.get(f"/customers/{customer_id}").get_data(as_text=True)


def test_deactivated_customer_is_kept_but_hidden_from_lists_and_pickers(platform, login):
    sales = login("sales")
    customer_id = _created_id(sales.post("/customers/new", data=_valid()))
    assert sales.post(f"/customers/{customer_id}/active", data={"active": "0"}).status_code == 302
    assert not _customer(platform, customer_id).active
    assert f'data-customer-id="{customer_id}"' not in sales.get("/customers/").get_data(as_text=True)
    assert f'data-customer-id="{customer_id}"' in sales.get("/customers/?inactive=1").get_data(as_text=True)
    assert sales.get("/api/lookup/customer?q=船舶").get_json() == []
    page = sales.get(f"/customers/{customer_id}").get_data(as_text=True)
    assert 'id="inactive-badge"' in page and "Customer deactivated" in page
    sales.post(f"/customers/{customer_id}/active", data={"active": "1"})
    assert _customer(platform, customer_id).active


def test_logging_a_call_with_a_next_action(platform, login):
    sales = login("sales")
    customer_id = _created_id(sales.post("/customers/new", data=_valid()))
    sales.post(f"/customers/{customer_id}/contacts/new", data={"name": "王伟"})
    with platform.sessions() as session:
        contact_id = session.scalar(select(Contact.id).where(Contact.customer_id == customer_id))
    refused = sales.post(f"/customers/{customer_id}/activities",
                         data={"kind": "call", "subject": "", "outcome": "Kept", "next_action_date": "2026-13-01"})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert set(re.findall(r'data-error-for="(\w+)"', page)) == {"subject", "next_action_date"} and ">Kept<" in page
    logged = sales.post(f"/customers/{customer_id}/activities", data={
        "kind": "call", "contact_id": contact_id, "subject": "需求沟通", "outcome": "Wants a quote",
        "next_action": "Send the quote", "next_action_date": "2030-01-15"})
    assert logged.status_code == 302
    with platform.sessions() as session:
        rows = session.scalars(select(Activity).where(Activity.customer_id == customer_id).order_by(Activity.id)).all()
        assert [(a.kind, a.subject, a.status, a.contact_id) for a in rows] == [
            ("call", "需求沟通", "done", contact_id), ("call", "Send the quote", "planned", contact_id)]
        assert str(rows[1].planned_for) == "2030-01-15"
    page = sales.get(f"/customers/{customer_id}").get_data(as_text=True)
    assert "Call: 需求沟通" in page and "Call: Call:" not in page


def test_customer_page_offers_every_action(platform, login, sales_processes):
    sales = login("sales")
    customer_id = _created_id(sales.post("/customers/new", data=_valid()))
    page = sales.get(f"/customers/{customer_id}").get_data(as_text=True)
    for section in ("overview", "contacts", "opportunities", "quotes", "contracts", "projects", "payments", "service",
                    "processes", "documents", "timeline"):
        assert f'id="pane-{section}"' in page
    for action in ("Edit", "Add contact", "Log activity", "New opportunity", "New quote", "Start a process"):
        assert action in page
    for link in ("/opportunities/new", "/quotes/new", "/processes/start/customer_visit"):
        assert f"{link}?customer_id={customer_id}" in page
    start = sales.get(f"/processes/start/customer_visit?customer_id={customer_id}").get_data(as_text=True)
    assert re.search(rf'name="customer_id"[^>]*value="{customer_id}"|value="{customer_id}"[^>]*name="customer_id"',
                     start)
