"""New / edit / close opportunities over HTTP: bounds with per-field messages, concurrent edits, won -> quote."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from crm.customers.models import Customer
from crm.orders.catalog import add_product
from crm.orders.quotes import Quote
from crm.sales.opportunities import Opportunity, create_opportunity
from crm.sales.tenders import record_bid_result, register_tender, submit_bid


def _opp(platform, customer_id: int, name: str = "Dredger", amount: str = "800000") -> int:
    with platform.sessions.begin() as session:
        return create_opportunity(session, session.get(Customer, customer_id), name, Decimal(amount), "sales").id


def _valid(customer_id: int, **changes) -> dict:
    return {"customer_id": str(customer_id), "name": "Two LNG carriers", "stage": "3", "amount": "12,500,000.50",
            "probability": "35", "expected_close": "2031-03-31", "source": "exhibition", **changes}


def test_new_opportunity_page_prefills_the_customer_and_creates(platform, login, make_customer):
    customer_id = make_customer("上海船舶重工有限公司")
    with platform.sessions.begin() as session:
        product_id = add_product(session, "LNG-1", "LNG carrier", Decimal("80000000")).id
    sales = login("sales")
    page = sales.get(f"/opportunities/new?customer_id={customer_id}").get_data(as_text=True)
    assert f'<option value="{customer_id}" selected>上海船舶重工有限公司</option>' in page
    response = sales.post("/opportunities/new", data={**_valid(customer_id), "product_ids": [str(product_id)]})
    assert response.status_code == 302
    with platform.sessions() as session:
        opp = session.scalar(select(Opportunity).where(Opportunity.name == "Two LNG carriers"))
        assert (opp.stage, opp.amount, opp.probability, opp.source, opp.expected_close) == (
            3, Decimal("12500000.50"), 35, "exhibition", dt.date(2031, 3, 31))
        assert [p.code for p in opp.products] == ["LNG-1"] and opp.owner.username == "sales"
        assert [h.probability for h in opp.history] == [35]
    shown = sales.get(response.headers["Location"]).get_data(as_text=True)
    assert "Exhibition" in shown and "LNG carrier" in shown and "E+" not in shown


@pytest.mark.parametrize(("field", "value", "message"), [
    ("amount", "-1", "cannot be negative"),
    ("amount", "1000000000000", "At most 999,999,999,999.99"),
    ("amount", "12.345", "At most two decimals"),
    ("amount", "1e5", "write digits"),
    ("amount", "lots", "is not a number"),
    ("probability", "101", "from 0 to 100"),
    ("probability", "-5", "from 0 to 100"),
    ("name", "x" * 201, "At most 200 characters"),
    ("name", "", "Enter the title"),
    ("expected_close", "31/03/2031", "YYYY-MM-DD"),
    ("stage", "12", "whole number from 1 to 9"),
    ("source", "=cmd", "Choose one of the options"),
])
def test_bad_input_is_refused_by_the_field_and_kept(platform, login, make_customer, field, value, message):
    customer_id = make_customer()
    response = login("sales").post("/opportunities/new", data=_valid(customer_id, **{field: value}))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(rf'data-error-for="{field}">[^<]*{re.escape(message)}', page), page[:3000]
    assert "12,500,000.50" in page or field == "amount"  # what was typed is shown again
    with platform.sessions() as session:
        assert session.scalar(select(Opportunity.id)) is None


def test_a_customer_out_of_scope_is_refused(login, make_customer):
    theirs = make_customer("Not yours", owner="sales2")
    response = login("sales").post("/opportunities/new", data=_valid(theirs))
    assert response.status_code == 422 and 'data-error-for="customer_id"' in response.get_data(as_text=True)


def test_edit_and_concurrent_edit_detected(platform, login, make_customer):
    opp_id = _opp(platform, make_customer())
    sales, director = login("sales"), login("salesdir")
    form = sales.get(f"/opportunities/{opp_id}/edit").get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', form).group(1)
    first = director.post(f"/opportunities/{opp_id}/edit", data={**_valid(0, name="Dredger (2 units)"),
                                                                  "version": version})
    assert first.status_code == 302
    late = sales.post(f"/opportunities/{opp_id}/edit", data={**_valid(0, name="Dredger XL"), "version": version})
    page = late.get_data(as_text=True)
    assert late.status_code == 409
    assert re.search(r"changed by salesdir at \d{1,2} \w{3} \d{4} \d\d:\d\d:", page) and "reload" in page
    assert 'value="Dredger XL"' in page  # the user's input is kept
    with platform.sessions() as session:
        assert session.get(Opportunity, opp_id).name == "Dredger (2 units)"
    stale_move = sales.post(f"/opportunities/{opp_id}", data={"stage": "5", "version": version})
    assert stale_move.status_code == 302
    with platform.sessions() as session:
        assert session.get(Opportunity, opp_id).stage == 3


def test_won_with_reason_then_create_the_quote_prefilled(platform, login, make_customer):
    customer_id = make_customer()
    opp_id = _opp(platform, customer_id, "Harbour tug", "2400000")
    sales = login("sales")
    assert sales.post(f"/opportunities/{opp_id}/close", data={"result": "won", "reason": "Best delivery time"}
                      ).status_code == 302
    page = sales.get(f"/opportunities/{opp_id}").get_data(as_text=True)
    link = f"/quotes/new?customer_id={customer_id}&amp;opportunity_id={opp_id}"
    assert link in page and "Best delivery time" in page
    form = sales.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert 'value="Harbour tug"' in form and f'name="opportunity_id" value="{opp_id}"' in form
    created = sales.post("/quotes/", data={"customer_id": customer_id, "opportunity_id": opp_id,
                                           "title": "Harbour tug", "valid_until": "2031-01-31",
                                           "discount_percent": "0", "tax_percent": "13"})
    assert created.status_code == 302
    with platform.sessions() as session:
        quote = session.scalar(select(Quote))
        assert quote.opportunity_id == opp_id
        assert [(line.description, line.unit_price) for line in quote.lines] == [("Harbour tug", Decimal("2400000.00"))]
    assert f"/quotes/{quote.id}" in sales.get(f"/opportunities/{opp_id}").get_data(as_text=True)


def test_quote_refuses_an_opportunity_of_another_customer(platform, login, make_customer):
    first, second = make_customer(), make_customer("Second Co.")
    opp_id = _opp(platform, first)
    response = login("sales").post("/quotes/", data={"customer_id": second, "opportunity_id": opp_id,
                                                     "title": "x", "valid_until": "2031-01-31"})
    assert response.status_code == 422 and 'data-error-for="opportunity_id"' in response.get_data(as_text=True)


def test_a_won_tender_takes_the_approved_bid_price(platform, make_customer, login):
    customer_id = make_customer()
    with platform.sessions.begin() as session:
        customer = session.get(Customer, customer_id)
        tender = register_tender(session, 990001, customer, customer.owner, project="Ferry", deadline=None,
                                 estimated_value=Decimal("5000000"), documents="", by="sales")
        submit_bid(session, tender, Decimal("4750000.00"))
        record_bid_result(session, tender, True, "opened", "", "sales")
        opp_id = tender.opportunity_id
    with platform.sessions() as session:
        opp = session.get(Opportunity, opp_id)
        assert (opp.status, opp.amount) == ("won", Decimal("4750000.00"))
    page = login("sales").get(f"/opportunities/{opp_id}").get_data(as_text=True)
    assert "approved bid price" in page and 'id="create-quote"' in page


@pytest.mark.parametrize(("user", "status"), [
    ("sales", 200), ("salesdir", 200), ("custdir", 200), ("admin", 200),
    ("mktdir", 403), ("info", 403), ("finance", 403), ("agent", 403), ("engineer", 403), ("owner", 403),
])
def test_who_may_create_opportunities(login, user, status):
    assert login(user).get("/opportunities/new").status_code == status


def test_draft_quote_lines_move_and_delete(platform, login, make_customer):
    customer_id = make_customer()
    sales = login("sales")
    created = sales.post("/quotes/", data={"customer_id": customer_id, "title": "Spares", "valid_until": "2031-01-31"})
    quote_id = int(created.headers["Location"].rsplit("/", 1)[1])
    for name in ("Pump", "Valve", "Seal"):
        sales.post(f"/quotes/{quote_id}/lines", data={"description": name, "quantity": "1", "unit_price": "10"})
    with platform.sessions() as session:
        ids = [line.id for line in session.get(Quote, quote_id).lines]
    assert sales.post(f"/quotes/{quote_id}/lines/{ids[2]}", data={"action": "up"}).status_code == 302
    sales.post(f"/quotes/{quote_id}/lines/{ids[0]}", data={"action": "delete"})
    with platform.sessions() as session:
        lines = session.get(Quote, quote_id).lines
        assert [(line.position, line.description) for line in lines] == [(1, "Seal"), (2, "Valve")]
    sales.post(f"/quotes/{quote_id}/status", data={"status": "sent"})
    refused = sales.post(f"/quotes/{quote_id}/lines/{ids[1]}", data={"action": "delete"}, follow_redirects=True)
    assert "only drafts can be changed" in refused.get_data(as_text=True)
    assert login("sales2").post(f"/quotes/{quote_id}/lines/{ids[1]}", data={"action": "delete"}).status_code == 404
