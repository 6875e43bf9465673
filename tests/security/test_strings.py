"""Strings (issue 11, item 14): NUL bytes refused everywhere, every string bounded by its column (generated forms:
their declared or default max length), filter query strings bounded."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from crm.accounts.users import User
from crm.customers.models import Customer
from crm.orders.quotes import QuoteLine, create_quote
from forms import FieldDefinition, FormDefinition, FormValidationError, build_wtform, render_fields, validate


@pytest.fixture
def customer_id(platform) -> int:
    with platform.sessions.begin() as session:
        owner = session.scalars(select(User).where(User.username == "sales")).one()
        customer = Customer(company="Blue Whale", owner=owner)
        session.add(customer)
        session.flush()
        return customer.id


@pytest.fixture
def quote_id(platform, customer_id) -> int:
    with platform.sessions.begin() as session:
        owner = session.scalars(select(User).where(User.username == "sales")).one()
        return create_quote(session, session.get(Customer, customer_id), owner, "Hulls",
                            dt.date.today() + dt.timedelta(days=30)).id


def _lines(platform) -> list[str]:
    with platform.sessions() as session:
        return list(session.scalars(select(QuoteLine.description)))


def test_text_longer_than_its_column_is_refused_with_the_fields_name(platform, login, quote_id):
    """The quote line form checks only numbers: the flush guard names the too-long field, nothing is stored."""
    line = {"quantity": "1", "unit_price": "10", "discount_percent": "0"}
    page = login("sales").post(f"/quotes/{quote_id}/lines", data={**line, "description": "x" * 100_000},
                               follow_redirects=True)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Description: Must be at most 300 characters (this is 100,000)." in html
    assert _lines(platform) == []
    login("sales").post(f"/quotes/{quote_id}/lines", data={**line, "description": "x" * 300})
    assert _lines(platform) == ["x" * 300]


def test_nul_in_a_form_field_is_refused(platform, login, quote_id):
    response = login("sales").post(f"/quotes/{quote_id}/lines", data={
        "quantity": "1", "unit_price": "10", "discount_percent": "0", "description": "Hull\x00s"})
    assert response.status_code == 400
    assert _lines(platform) == []


def test_nul_in_json_and_query_strings_is_refused_in_json(login):
    user = login("sales")
    answer = user.api("POST", "/api/processes/service_request/instances", json={"description": "a\x00b"})
    assert answer.status_code == 400 and "NUL" in answer.get_json()["error"]
    answer = user.api("POST", "/api/processes/service_request/instances", json={"desc\x00ription": "ab"})
    assert answer.status_code == 400
    answer = user.get("/api/lookup/customer?q=a%00b")
    assert answer.status_code == 400 and answer.mimetype == "application/json"


@pytest.mark.parametrize("url", ["/worklist/?q=", "/api/tasks?q=", "/customers/?q=", "/admin/instances?process="])
def test_filter_query_strings_are_bounded(login, url):
    user = login("admin")
    assert user.get(url + "x" * 1000).status_code == 200
    assert user.get(url + "x" * 1001).status_code == 400


@pytest.mark.parametrize(("field", "length"), [({"type": "string"}, 200), ({"type": "text"}, 10_000),
                                               ({"type": "string", "maxlength": 20}, 20)])
def test_generated_form_text_is_bounded_by_declared_or_default_length(field, length):
    form = FormDefinition((FieldDefinition(id="x", label="X", **field),))
    assert validate(form, {"x": "y" * length}) == {"x": "y" * length}
    with pytest.raises(FormValidationError) as caught:
        validate(form, {"x": "y" * (length + 1)})
    assert caught.value.errors["x"] == [f"Must be at most {length} characters."]


def test_generated_form_text_refuses_nul():
    form = FormDefinition((FieldDefinition(id="x", label="X", type="text"),))
    with pytest.raises(FormValidationError) as caught:
        validate(form, {"x": "a\x00b"})
    assert caught.value.errors["x"] == ["Must not contain NUL characters."]


def test_generated_form_renders_the_length_and_number_limits(app):
    form = FormDefinition((FieldDefinition(id="x", label="X", type="string"),
                           FieldDefinition(id="n", label="N", type="decimal")))
    with app.test_request_context("/"):
        html = str(render_fields(build_wtform(form)()))
    assert 'maxlength="200"' in html and 'min="0"' in html and 'max="999999999999.99"' in html
