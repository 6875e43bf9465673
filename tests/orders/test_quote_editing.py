"""Quotes over HTTP: a draft's lines and terms edited in place (bounds by the field, input kept), refused once sent."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from crm import formatting
from crm.accounts.users import User
from crm.customers.models import Customer
from crm.orders.catalog import add_product
from crm.orders.quotes import Quote, quote_totals
from web.orders.contracts import DOCUMENT_POLICY


@pytest.fixture
def draft(platform, login):
    """(salesperson's client, quote id, line ids) of a draft quote with two free-text lines."""
    with platform.sessions.begin() as session:
        sales = session.scalar(select(User).where(User.username == "sales"))
        customer = Customer(company="东海船务有限公司", region="East", owner=sales, grade="key")
        session.add(customer)
        session.flush()
        customer_id = customer.id
    client = login("sales")
    created = client.post("/quotes/", data={"customer_id": customer_id, "title": "Spares", "valid_until": "2031-01-31",
                                            "tax_percent": "13"})
    quote_id = int(created.headers["Location"].rsplit("/", 1)[1])
    for name, price in (("Anchor chain", "1000"), ("Winch", "2500.50")):
        client.post(f"/quotes/{quote_id}/lines", data={"description": name, "quantity": "2", "unit_price": price})
    with platform.sessions() as session:
        return client, quote_id, [line.id for line in session.get(Quote, quote_id).lines]


def test_a_draft_line_is_edited_in_place(platform, draft):
    client, quote_id, ids = draft
    page = client.get(f"/quotes/{quote_id}/lines/{ids[1]}/edit").get_data(as_text=True)
    assert 'value="Winch"' in page and 'value="2500.50"' in page and 'value="2"' in page
    saved = client.post(f"/quotes/{quote_id}/lines/{ids[1]}/edit", data={
        "description": "Hydraulic winch", "quantity": "1.5", "unit_price": "3,000.00", "discount_percent": "10"})
    assert saved.status_code == 302
    with platform.sessions() as session:
        quote = session.get(Quote, quote_id)
        line = quote.lines[1]
        assert (line.position, line.description, line.quantity, line.unit_price, line.discount_percent) == (
            2, "Hydraulic winch", Decimal("1.5"), Decimal("3000.00"), Decimal("10"))
        assert line.amount == Decimal("4050.00")
    shown = client.get(f"/quotes/{quote_id}").get_data(as_text=True)
    assert "Hydraulic winch" in shown and "4,050.00" in shown


def test_a_line_takes_a_catalogue_product_and_its_price(platform, draft):
    client, quote_id, ids = draft
    with platform.sessions.begin() as session:
        product_id = add_product(session, "ANC-9", "Stockless anchor", Decimal("7777.70")).id
    client.post(f"/quotes/{quote_id}/lines/{ids[0]}/edit", data={
        "product_id": str(product_id), "description": "", "quantity": "1", "unit_price": "", "discount_percent": "0"})
    with platform.sessions() as session:
        line = session.get(Quote, quote_id).lines[0]
        assert (line.product_id, line.description, line.unit_price) == (product_id, "Stockless anchor",
                                                                        Decimal("7777.70"))


@pytest.mark.parametrize(("field", "value", "message"), [
    ("quantity", "0", "more than 0"),
    ("quantity", "-2", "more than 0"),
    ("quantity", "1000000000", "At most 999,999,999.999"),
    ("quantity", "1.2345", "At most three decimals"),
    ("quantity", "1e3", "is not a number"),
    ("unit_price", "-1", "cannot be negative"),
    ("unit_price", "1000000000000", "At most 999,999,999,999.99"),
    ("unit_price", "1.005", "At most two decimals"),
    ("unit_price", "", "Enter an amount"),
    ("discount_percent", "101", "from 0 to 100"),
    ("discount_percent", "5.555", "At most 2 decimals"),
    ("description", "x" * 301, "At most 300 characters"),
    ("description", "", "Enter a description"),
    ("product_id", "999999", "Choose a product"),
])
def test_bad_line_input_is_refused_by_the_field_and_kept(platform, draft, field, value, message):
    client, quote_id, ids = draft
    form = {"description": "Winch", "quantity": "2", "unit_price": "2500.50", "discount_percent": "0", field: value}
    response = client.post(f"/quotes/{quote_id}/lines/{ids[1]}/edit", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'data-error-for="{field}"' in page and message in page
    if value and field != "product_id":
        assert f'value="{value}"' in page
    with platform.sessions() as session:
        assert session.get(Quote, quote_id).lines[1].unit_price == Decimal("2500.50")


def test_terms_edited_and_checked(platform, draft):
    client, quote_id, _ = draft
    page = client.get(f"/quotes/{quote_id}/edit").get_data(as_text=True)
    assert 'value="2031-01-31"' in page and 'value="Spares"' in page
    bad = client.post(f"/quotes/{quote_id}/edit", data={"title": "Spares", "valid_until": "31.12.2031",
                                                         "discount_percent": "150", "tax_percent": "13"})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "YYYY-MM-DD" in text and "from 0 to 100" in text and 'value="150"' in text
    ok = client.post(f"/quotes/{quote_id}/edit", data={"title": "Spares 2031", "valid_until": "2031-12-31",
                                                        "discount_percent": "5", "tax_percent": "9", "notes": "FOB"})
    assert ok.status_code == 302
    with platform.sessions() as session:
        quote = session.get(Quote, quote_id)
        assert (quote.title, quote.valid_until, quote.discount_percent, quote.tax_percent, quote.notes) == (
            "Spares 2031", dt.date(2031, 12, 31), Decimal("5"), Decimal("9"), "FOB")


def test_a_sent_quote_is_not_edited(platform, draft, login):
    client, quote_id, ids = draft
    client.post(f"/quotes/{quote_id}/status", data={"status": "sent"})
    assert client.get(f"/quotes/{quote_id}/edit").status_code == 302
    refused = client.post(f"/quotes/{quote_id}/lines/{ids[0]}/edit", data={
        "description": "Changed", "quantity": "9", "unit_price": "1", "discount_percent": "0"}, follow_redirects=True)
    assert "only drafts can be changed" in refused.get_data(as_text=True)
    refused = client.post(f"/quotes/{quote_id}/edit", data={"title": "Changed", "valid_until": "2031-01-31"},
                          follow_redirects=True)
    assert "only drafts can be changed" in refused.get_data(as_text=True)
    with platform.sessions() as session:
        quote = session.get(Quote, quote_id)
        assert quote.title == "Spares" and quote.lines[0].description == "Anchor chain"
    assert login("sales2").get(f"/quotes/{quote_id}/lines/{ids[0]}/edit").status_code == 404


def test_a_sent_quote_is_revised_as_a_new_draft(platform, draft, login):
    client, quote_id, _ = draft
    assert client.post(f"/quotes/{quote_id}/revise").status_code == 302
    with platform.sessions() as session:
        assert session.get(Quote, quote_id).status == "draft"  # a draft is not revised: it is edited
    client.post(f"/quotes/{quote_id}/status", data={"status": "sent"})
    assert login("sales2").post(f"/quotes/{quote_id}/revise").status_code == 404
    assert 'id="revise-quote"' in client.get(f"/quotes/{quote_id}").get_data(as_text=True)
    revised = client.post(f"/quotes/{quote_id}/revise")
    second_id = int(revised.headers["Location"].rsplit("/", 1)[1])
    with platform.sessions() as session:
        old, new = session.get(Quote, quote_id), session.get(Quote, second_id)
        assert (old.status, new.status, new.revision, new.revision_of_id) == ("superseded", "draft", 2, quote_id)
        assert new.number == f"{old.number}-R2" and new.customer_id == old.customer_id
        assert [(line.position, line.description, line.unit_price) for line in new.lines] == [
            (1, "Anchor chain", Decimal("1000.00")), (2, "Winch", Decimal("2500.50"))]
        assert {line.id for line in new.lines}.isdisjoint(line.id for line in old.lines)
        number, customer_id = old.number, old.customer_id
    old_page = client.get(f"/quotes/{quote_id}").get_data(as_text=True)
    assert 'id="superseded-by"' in old_page and f"{number}-R2" in old_page and 'id="revise-quote"' not in old_page
    assert "Revision 2 of" in client.get(f"/quotes/{second_id}").get_data(as_text=True)
    refused = client.post(f"/quotes/{quote_id}/status", data={"status": "accepted"}, follow_redirects=True)
    assert "cannot become Accepted" in refused.get_data(as_text=True)
    timeline = client.get(f"/customers/{customer_id}").get_data(as_text=True)
    assert "Quote revised" in timeline and f"superseded by revision {number}-R2" in timeline
    client.post(f"/quotes/{second_id}/status", data={"status": "sent"})
    third = client.post(f"/quotes/{second_id}/revise")
    with platform.sessions() as session:
        newest = session.get(Quote, int(third.headers["Location"].rsplit("/", 1)[1]))
        assert (newest.number, newest.revision, newest.revision_of_id) == (f"{number}-R3", 3, second_id)


def test_quote_document_page_and_pdf(platform, draft, login):
    client, quote_id, ids = draft
    client.post(f"/quotes/{quote_id}/lines/{ids[0]}/edit", data={
        "description": "<script>alert(1)</script>Chain <img src=http://evil.example/x>", "quantity": "1200",
        "unit_price": "1000", "discount_percent": "12.5"})
    client.post(f"/quotes/{quote_id}/edit", data={"title": "Spares", "valid_until": "2031-01-31",
                                                   "discount_percent": "5", "tax_percent": "13"})
    page = client.get(f"/quotes/{quote_id}")
    assert f'href="/quotes/{quote_id}/document.pdf"' in page.get_data(as_text=True)
    response = client.get(f"/quotes/{quote_id}/document")
    html = response.get_data(as_text=True)
    assert response.headers["Content-Security-Policy"] == DOCUMENT_POLICY
    with platform.sessions() as session:
        quote = session.get(Quote, quote_id)
        number, total = quote.number, quote_totals(quote).total
    assert f"Quotation {number}" in html and "东海船务有限公司" in html and "valid until 31 Jan 2031" in html
    assert formatting.money(total) in html and formatting.money(Decimal("1050000.00")) in html
    assert "1,200" in html and "12.5%" in html and "E+" not in html
    assert "<script" not in html and "<img" not in html and "&lt;script&gt;alert(1)" in html  # typed text is text
    pdf = client.get(f"/quotes/{quote_id}/document.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert pdf.headers["Content-Disposition"] == f'inline; filename="{number}.pdf"'
    assert login("sales2").get(f"/quotes/{quote_id}/document.pdf").status_code == 404


def test_concurrent_edits_of_a_draft_are_detected(platform, draft):
    client, quote_id, ids = draft
    page = client.get(f"/quotes/{quote_id}/lines/{ids[0]}/edit").get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    line = {"description": "Anchor chain", "quantity": "3", "unit_price": "1000", "discount_percent": "0"}
    assert client.post(f"/quotes/{quote_id}/lines/{ids[0]}/edit", data={**line, "version": version}).status_code == 302
    stale = client.post(f"/quotes/{quote_id}/lines/{ids[0]}/edit", data={**line, "quantity": "7", "version": version})
    text = stale.get_data(as_text=True)
    assert stale.status_code == 409 and "changed by sales at" in text and "reload" in text and 'value="7"' in text
    terms = {"title": "Other", "valid_until": "2031-01-31", "discount_percent": "0", "tax_percent": "0"}
    assert client.post(f"/quotes/{quote_id}/edit", data={**terms, "version": version}).status_code == 409
    client.post(f"/quotes/{quote_id}/lines/{ids[1]}", data={"action": "up"})  # moving a line is a change too
    with platform.sessions() as session:
        quote = session.get(Quote, quote_id)
        assert quote.lines[1].quantity == Decimal("3") and quote.title == "Spares"
        assert quote.version == int(version) + 2 and quote.updated_by == "sales"
