"""Who may open the customer-record and account pages (issue 12): expected status per route and role."""

from __future__ import annotations

import pytest

ROLES = ("admin", "owner", "sales", "sales2", "info", "agent", "custdir", "salesdir", "mktdir", "finance", "engineer")
EDITORS = {"admin", "sales", "info", "custdir", "salesdir", "mktdir"}
"""May edit a customer owned by ``sales`` (sales2 is outside sales' data scope: 404)."""


def _expected(username: str) -> int:
    """Status of a page about the customer of ``sales``."""
    return 200 if username in EDITORS else 404 if username == "sales2" else 403


@pytest.mark.parametrize("username", ROLES)
def test_customer_record_routes_per_role(login, make_customer, username):
    customer_id = make_customer("Owned by sales")
    user = login(username)
    assert user.get("/customers/new").status_code == (200 if username in EDITORS | {"sales2"} else 403)
    for url in (f"/customers/{customer_id}/edit", f"/customers/{customer_id}/contacts/new"):
        assert user.get(url).status_code == _expected(username), url
    for url in (f"/customers/{customer_id}/active", f"/customers/{customer_id}/activities"):
        status = user.post(url, data={"active": "1", "kind": "call", "subject": "x"}).status_code
        assert status == (302 if _expected(username) == 200 else _expected(username)), url
    assert user.get("/account/").status_code == 200


def test_signed_out_visitors_are_sent_to_the_login(client, make_customer):
    customer_id = make_customer()
    for url in ("/customers/new", f"/customers/{customer_id}/edit", f"/customers/{customer_id}/contacts/new",
                f"/customers/{customer_id}/merge", "/account/"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url
