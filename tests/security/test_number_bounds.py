"""Numbers out of range (issue 11, item 9): every money, quantity and integer input is checked against its column
(precision, sign) with a per-field message before anything is stored; the flush guard catches what slips through."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from crm.accounts.users import User
from crm.bounds import ValueOutOfBounds
from crm.customers.models import Customer
from crm.orders.quotes import Quote, QuoteLine, create_quote
from crm.sales.opportunities import Opportunity, create_opportunity
from forms import FieldDefinition, FormDefinition, FormValidationError, validate

BPMN = Path(__file__).resolve().parents[2] / "bpmn"
HUGE = ["1e30", "1" * 30, "1000000000000", "999999999999.999"]


@pytest.fixture
def opportunity(platform) -> int:
    with platform.sessions.begin() as session:
        owner = session.scalars(select(User).where(User.username == "sales")).one()
        customer = Customer(company="Blue Whale", owner=owner)
        session.add(customer)
        session.flush()
        return create_opportunity(session, customer, "Feeder ship", Decimal("1000"), "sales").id


@pytest.fixture
def quote(platform) -> int:
    with platform.sessions.begin() as session:
        owner = session.scalars(select(User).where(User.username == "sales")).one()
        customer = Customer(company="Blue Whale", owner=owner)
        session.add(customer)
        session.flush()
        return create_quote(session, customer, owner, "Hulls", dt.date.today() + dt.timedelta(days=30)).id


def _amount(platform, opp_id: int) -> Decimal:
    with platform.sessions() as session:
        return session.get(Opportunity, opp_id).amount


@pytest.mark.parametrize("amount", [*HUGE, "-5", "12.345"])
def test_opportunity_amount_out_of_range_is_refused_with_a_message(platform, login, opportunity, amount):
    sales = login("sales")
    page = sales.post(f"/opportunities/{opportunity}", data={"stage": "1", "amount": amount}, follow_redirects=True)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Not saved: Amount:" in html
    assert _amount(platform, opportunity) == Decimal("1000")
    assert sales.get("/opportunities/").status_code == 200
    assert sales.get(f"/opportunities/{opportunity}").status_code == 200


def test_opportunity_probability_out_of_range_is_refused(platform, login, opportunity):
    page = login("sales").post(f"/opportunities/{opportunity}", data={"stage": "1", "probability": "9" * 30},
                               follow_redirects=True)
    assert "Not saved: Win probability:" in page.get_data(as_text=True)


def test_a_fitting_amount_is_stored(platform, login, opportunity):
    login("sales").post(f"/opportunities/{opportunity}", data={"stage": "1", "amount": "999999999999.99"})
    assert _amount(platform, opportunity) == Decimal("999999999999.99")


@pytest.mark.parametrize(("field", "value", "message"), [
    ("unit_price", "1" * 30, "Unit price: Must be at most 999,999,999,999.99"),
    ("unit_price", "-1", "Unit price: Must not be negative"),
    ("quantity", "1" * 30, "Quantity: Must be at most 999,999,999.999"),
    ("quantity", "1.0001", "Quantity: at most 3 decimal places"),
    ("discount_percent", "150", "Discount percent: Must be at most 100"),
])
def test_quote_line_numbers_are_checked_against_their_columns(platform, login, quote, field, value, message):
    data = {"quantity": "1", "unit_price": "10", "description": "Hull", "discount_percent": "0", field: value}
    page = login("sales").post(f"/quotes/{quote}/lines", data=data, follow_redirects=True)
    assert message in page.get_data(as_text=True)
    with platform.sessions() as session:
        assert session.scalars(select(QuoteLine)).all() == []
    assert login("sales").get(f"/quotes/{quote}").status_code == 200


def test_guard_refuses_values_that_do_not_fit_their_column(platform, opportunity, quote):
    """The bug-catcher: a value no input layer checked is refused at flush, naming the column."""
    for amount, text in ((Decimal("1e13"), "Must be at most"), (Decimal("-1"), "Must not be negative")):
        with platform.sessions() as session, pytest.raises(ValueOutOfBounds) as caught:
            session.get(Opportunity, opportunity).amount = amount
            session.flush()
        assert text in caught.value.errors["Opportunity.amount"][0]
    with platform.sessions() as session, pytest.raises(ValueOutOfBounds) as caught:
        session.add(Customer(company="x" * 201))
        session.flush()
    assert "at most 200 characters" in caught.value.errors["Customer.company"][0]
    with platform.sessions() as session, pytest.raises(ValueOutOfBounds):
        session.get(Opportunity, opportunity).probability_override = 2**31
        session.flush()
    with platform.sessions() as session, pytest.raises(ValueOutOfBounds) as caught:
        session.get(Quote, quote).discount_percent = Decimal(101)
        session.flush()
    assert "Quote.discount_percent" in caught.value.errors


def test_guard_lets_unchanged_rows_and_fitting_values_through(platform, opportunity):
    with platform.sessions.begin() as session:
        session.get(Opportunity, opportunity).amount = Decimal("999999999999.99")
    assert _amount(platform, opportunity) == Decimal("999999999999.99")


def _form(**field) -> FormDefinition:
    return FormDefinition((FieldDefinition(id="x", label="X", **field),))


@pytest.mark.parametrize(("field", "raw", "message"), [
    ({"type": "integer"}, "2147483648", "Must be at most 2,147,483,647."),
    ({"type": "integer"}, "-1", "Must not be negative."),
    ({"type": "decimal"}, "1e30", "Must be at most 999,999,999,999.99."),
    ({"type": "decimal"}, "-0.01", "Must not be negative."),
    ({"type": "decimal"}, "1.0001", "Must have at most 3 decimal places."),
    ({"type": "decimal", "min": Decimal(-10)}, "-11", "Must be at least -10."),
])
def test_generated_form_numbers_have_default_bounds(field, raw, message):
    with pytest.raises(FormValidationError) as caught:
        validate(_form(**field), {"x": raw})
    assert message in caught.value.errors["x"]


def test_generated_form_numbers_may_be_signed_when_declared():
    assert validate(_form(type="integer", min=-5), {"x": "-5"}) == {"x": -5}


def test_api_start_refuses_out_of_range_numbers_per_field(platform, login):
    with platform.sessions.begin() as session:
        platform.engine.deploy(session, {"bidding.bpmn": (BPMN / "bidding.bpmn").read_bytes()}, "owner")
        owner = session.scalars(select(User).where(User.username == "sales")).one()
        customer = Customer(company="Blue Whale", owner=owner)
        session.add(customer)
        session.flush()
        customer_id = customer.id
    body = {"customer_id": customer_id, "project": "Tugs", "deadline": "2030-01-01T10:00",
            "estimated_value": "1e30", "bid_manager": 10**30}
    answer = login("sales").api("POST", "/api/processes/bidding/instances", json=body)
    assert answer.status_code == 422, answer.get_data(as_text=True)
    fields = answer.get_json()["fields"]
    assert fields["estimated_value"] == ["Must be at most 999,999,999,999.99."]
    assert fields["bid_manager"] == ["Not a valid reference."]
