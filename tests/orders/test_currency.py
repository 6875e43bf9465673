"""A quote carries its currency (default the site's), its contract inherits it, and pages and documents show every
amount in it (issue 14 item 5)."""

from __future__ import annotations

from sqlalchemy import select

from crm.accounts.users import User
from crm.customers.models import Customer
from crm.orders import contract_documents
from crm.orders.contracts import from_quote
from crm.orders.quotes import Quote


def _quote(platform, client, **fields) -> tuple[int, object]:
    with platform.sessions.begin() as session:
        sales = session.scalar(select(User).where(User.username == "sales"))
        customer = Customer(company="Pacific Lines", region="East", owner=sales)
        session.add(customer)
        session.flush()
        customer_id = customer.id
    return client.post("/quotes/", data={"customer_id": customer_id, "title": "Spares", "valid_until": "2031-01-31",
                                         "tax_percent": "0", **fields}), customer_id


def test_a_quote_in_dollars_shows_dollars_and_its_contract_keeps_them(platform, login):
    client = login("sales")
    assert "<option selected>CNY</option>" in client.get("/quotes/new").get_data(as_text=True)  # the site's
    created, _ = _quote(platform, client, currency="usd")
    quote_id = int(created.headers["Location"].rsplit("/", 1)[1])
    client.post(f"/quotes/{quote_id}/lines", data={"description": "Winch", "quantity": "2", "unit_price": "1234.5"})
    page = client.get(f"/quotes/{quote_id}").get_data(as_text=True)
    assert "$2,469.00" in page and "¥" not in page
    assert "$2,469.00" in client.get(f"/quotes/{quote_id}/document").get_data(as_text=True)
    with platform.sessions.begin() as session:
        quote = session.get(Quote, quote_id)
        assert quote.currency == "USD"
        quote.status = "accepted"
        contract = from_quote(session, quote)
        assert contract.currency == "USD"
        assert "$2,469.00" in contract_documents.render_html(session, contract)
        contract_id = contract.id
    assert "$2,469.00" in login("custdir").get(f"/contracts/{contract_id}").get_data(as_text=True)


def test_the_site_currency_is_the_default_and_unknown_codes_are_refused(platform, login):
    client = login("sales")
    created, _ = _quote(platform, client)
    quote_id = int(created.headers["Location"].rsplit("/", 1)[1])
    client.post(f"/quotes/{quote_id}/lines", data={"description": "Chain", "quantity": "1", "unit_price": "1234.5"})
    assert "¥1,234.50" in client.get(f"/quotes/{quote_id}").get_data(as_text=True)
    refused, _ = _quote(platform, client, currency="ABC")
    assert refused.status_code == 422 and "ISO 4217" in refused.get_data(as_text=True)


def test_receivables_never_add_up_amounts_in_different_currencies(platform, login):
    """A customer owing in yuan and in dollars has a row per currency, and the totals are per currency."""
    import datetime as dt
    from decimal import Decimal

    from crm.orders.contracts import Contract
    from crm.orders.payments import LineSpec, create_plan

    today = dt.date.today()
    with platform.sessions.begin() as session:
        sales = session.scalar(select(User).where(User.username == "sales"))
        customer = Customer(company="Pacific Lines", region="East", owner=sales)
        session.add(customer)
        session.flush()
        for currency, amount, due in (("CNY", "1000.00", today + dt.timedelta(days=10)),
                                      ("USD", "250.00", today - dt.timedelta(days=40))):
            contract = Contract(customer=customer, title=f"In {currency}", amount=Decimal(amount), currency=currency,
                                status="active", owner=sales)
            session.add(contract)
            session.flush()
            create_plan(session, customer, [LineSpec("All", due, amount=Decimal(amount))], contract=contract)
        customer_id = customer.id
    page = login("finance").get("/payments/receivables").get_data(as_text=True)
    assert page.count(f'data-customer="{customer_id}"') == 2
    assert 'data-currency="CNY"' in page and 'data-currency="USD"' in page
    assert "¥1,000.00" in page and "$250.00" in page
    assert "1,250.00" not in page  # never added up across currencies
    assert 'data-total="CNY"' in page and 'data-total="USD"' in page
