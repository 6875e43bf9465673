"""The records API (issue 15 item 3): create, read, list, update with If-Match, deactivate, through the same checks
and data scope as the pages."""

from __future__ import annotations

import datetime as dt


def _customer(sales, company="Huanghai Shipyard", **extra):
    created = sales.post("/api/customers", json={"company": company, "industry": "Shipbuilding", **extra})
    assert created.status_code == 201, created.get_json()
    return created


def test_customer_create_read_update_deactivate(api):
    sales = api("sales")
    created = _customer(sales, phone="+86 532 8888 0000")
    customer = created.get_json()
    assert customer["company"] == "Huanghai Shipyard" and customer["version"] == 1
    assert created.headers["ETag"] == '"1"'
    assert created.headers["Location"].endswith(f"/api/customers/{customer['id']}")
    url = f"/api/customers/{customer['id']}"

    read = sales.get(url)
    assert read.status_code == 200 and read.get_json()["industry"] == "Shipbuilding"

    saved = sales.patch(url, json={"region": "Shandong"}, headers={"If-Match": read.headers["ETag"]})
    assert saved.status_code == 200, saved.get_json()
    assert saved.get_json()["region"] == "Shandong" and saved.get_json()["industry"] == "Shipbuilding"
    assert saved.headers["ETag"] == '"2"'

    gone = sales.post(f"{url}/deactivate", json={"reason": "merged by hand"})
    assert gone.status_code == 200 and gone.get_json()["active"] is False
    listed = sales.get("/api/customers?active=false").get_json()["items"]
    assert [c["id"] for c in listed] == [customer["id"]]


def test_update_without_if_match_is_428_and_with_an_old_etag_412(api):
    sales = api("sales")
    url = f"/api/customers/{_customer(sales).get_json()['id']}"
    assert sales.patch(url, json={"region": "Jiangsu"}).status_code == 428
    first = sales.patch(url, json={"region": "Jiangsu"}, headers={"If-Match": '"1"'})
    assert first.status_code == 200
    lost = sales.patch(url, json={"region": "Zhejiang"}, headers={"If-Match": '"1"'})
    assert lost.status_code == 412 and "changed" in lost.get_json()["error"]
    assert sales.get(url).get_json()["region"] == "Jiangsu"


def test_the_pages_checks_apply_field_by_field(api):
    sales = api("sales")
    refused = sales.post("/api/customers", json={"company": "", "email": "not-an-email", "grade": "gold"})
    assert refused.status_code == 422
    assert set(refused.get_json()["fields"]) >= {"company", "email", "grade"}
    too_long = sales.post("/api/customers", json={"company": "x" * 201})
    assert too_long.status_code == 422 and "company" in too_long.get_json()["fields"]
    wrong_type = sales.post("/api/customers", json={"company": ["a list"]})
    assert wrong_type.status_code == 422 and wrong_type.get_json()["fields"]["company"] == ["Send text."]


def test_a_likely_duplicate_is_409_unless_confirmed(api):
    sales = api("sales")
    _customer(sales, registry_number="91370200MA3C5U5X44")
    again = sales.post("/api/customers", json={"company": "Other name", "registry_number": "91370200MA3C5U5X44"})
    assert again.status_code == 409 and "duplicates" in again.get_json()["error"]
    confirmed = sales.post("/api/customers", json={"company": "Other name", "registry_number": "91370200MA3C5U5X44",
                                                   "confirm_duplicate": True})
    assert confirmed.status_code == 201


def test_a_salesperson_cannot_read_or_write_a_colleagues_customer(api):
    sales, sales2 = api("sales"), api("sales2")
    customer = _customer(sales).get_json()
    url = f"/api/customers/{customer['id']}"
    assert sales2.get(url).status_code == 404
    assert sales2.patch(url, json={"region": "X"}, headers={"If-Match": '"1"'}).status_code == 404
    assert sales2.post(f"{url}/deactivate").status_code == 404
    assert customer["id"] not in [c["id"] for c in sales2.get("/api/customers").get_json()["items"]]
    contact = sales2.post("/api/contacts", json={"customer_id": customer["id"], "name": "Li Wei"})
    assert contact.status_code == 422 and "customer_id" in contact.get_json()["fields"]
    activity = sales2.post("/api/activities", json={"customer_id": customer["id"], "kind": "call", "subject": "Hi"})
    assert activity.status_code == 422
    # their manager sees it (the pages' scope: the people one reports to)
    assert api("salesdir").get(url).status_code == 200


def test_contacts_and_activities(api):
    sales = api("sales")
    customer = _customer(sales).get_json()
    contact = sales.post("/api/contacts", json={"customer_id": customer["id"], "name": "Li Wei", "is_main": True,
                                                "email": "li.wei@example.com"})
    assert contact.status_code == 201, contact.get_json()
    body = contact.get_json()
    assert body["is_main"] is True
    saved = sales.patch(f"/api/contacts/{body['id']}", json={"title": "Purchasing manager"},
                        headers={"If-Match": contact.headers["ETag"]})
    assert saved.status_code == 200 and saved.get_json()["title"] == "Purchasing manager"
    assert saved.get_json()["email"] == "li.wei@example.com"
    logged = sales.post("/api/activities", json={"customer_id": customer["id"], "kind": "call",
                                                 "subject": "Needs survey", "contact_id": body["id"],
                                                 "next_action": "Send offer",
                                                 "next_action_date": (dt.date.today() + dt.timedelta(days=2))
                                                 .isoformat()})
    assert logged.status_code == 201, logged.get_json()
    assert logged.get_json()["status"] == "done"
    listed = sales.get(f"/api/activities?customer_id={customer['id']}").get_json()["items"]
    assert logged.get_json()["id"] in [a["id"] for a in listed]
    deactivated = sales.post(f"/api/contacts/{body['id']}/deactivate")
    assert deactivated.status_code == 200 and deactivated.get_json()["active"] is False


def test_opportunity_create_update_and_stage_change(api):
    sales = api("sales")
    customer = _customer(sales).get_json()
    created = sales.post("/api/opportunities", json={"customer_id": customer["id"], "name": "Two tugboats",
                                                     "stage": 2, "amount": "1,250,000.00"})
    assert created.status_code == 201, created.get_json()
    opp = created.get_json()
    assert opp["amount"] == "1250000.00" and opp["stage"] == 2 and opp["probability"] == 20
    url = f"/api/opportunities/{opp['id']}"
    edited = sales.patch(url, json={"name": "Three tugboats"}, headers={"If-Match": created.headers["ETag"]})
    assert edited.status_code == 200, edited.get_json()
    assert edited.get_json()["name"] == "Three tugboats" and edited.get_json()["amount"] == "1250000.00"
    moved = sales.post(f"{url}/stage", json={"stage": 5, "analysis": "Demo done"},
                       headers={"If-Match": edited.headers["ETag"]})
    assert moved.status_code == 200, moved.get_json()
    assert moved.get_json()["stage"] == 5 and moved.get_json()["status_analysis"] == "Demo done"
    stale = sales.post(f"{url}/stage", json={"stage": 6}, headers={"If-Match": edited.headers["ETag"]})
    assert stale.status_code == 412
    bad = sales.post(f"{url}/stage", json={"stage": 12}, headers={"If-Match": moved.headers["ETag"]})
    assert bad.status_code == 422 and "stage" in bad.get_json()["fields"]


def test_quote_with_lines_and_terms(api):
    sales = api("sales")
    customer = _customer(sales).get_json()
    valid = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    created = sales.post("/api/quotes", json={"customer_id": customer["id"], "title": "Tug refit",
                                              "valid_until": valid, "tax_percent": 13})
    assert created.status_code == 201, created.get_json()
    quote = created.get_json()
    url = f"/api/quotes/{quote['id']}"
    line = sales.post(f"{url}/lines", json={"description": "Hull inspection", "quantity": 2, "unit_price": "800"},
                      headers={"If-Match": created.headers["ETag"]})
    assert line.status_code == 201, line.get_json()
    assert [(x["description"], x["amount"]) for x in line.get_json()["lines"]] == [("Hull inspection", "1600.00")]
    negative = sales.post(f"{url}/lines", json={"description": "X", "quantity": -1, "unit_price": "1"},
                          headers={"If-Match": line.headers["ETag"]})
    assert negative.status_code == 422 and "quantity" in negative.get_json()["fields"]
    terms = sales.patch(url, json={"notes": "Prices in CNY"}, headers={"If-Match": line.headers["ETag"]})
    assert terms.status_code == 200, terms.get_json()
    assert terms.get_json()["notes"] == "Prices in CNY" and terms.get_json()["title"] == "Tug refit"
    assert api("sales2").get(url).status_code == 404
    assert api("agent").get(url).status_code == 403


def test_a_quote_names_its_currency_and_the_language_it_prints_in(api):
    sales = api("sales")
    customer = _customer(sales).get_json()
    valid = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    base = {"customer_id": customer["id"], "title": "Export tug", "valid_until": valid}
    created = sales.post("/api/quotes", json={**base, "currency": "usd", "language": "en"})
    assert created.status_code == 201, created.get_json()
    assert (created.get_json()["currency"], created.get_json()["language"]) == ("USD", "en")
    url = f"/api/quotes/{created.get_json()['id']}"
    changed = sales.patch(url, json={"language": "zh_CN"}, headers={"If-Match": created.headers["ETag"]})
    assert changed.status_code == 200, changed.get_json()
    assert (changed.get_json()["language"], changed.get_json()["title"]) == ("zh_CN", "Export tug")
    for bad in ({"language": "fr"}, {"currency": "XX1"}):
        refused = sales.post("/api/quotes", json={**base, **bad})
        assert refused.status_code == 422 and set(bad) <= set(refused.get_json()["fields"]), refused.get_json()


def test_read_only_kinds_list_within_the_role(api):
    assert api("finance").get("/api/payment-plans").status_code == 200
    assert api("finance").get("/api/payments").status_code == 200
    assert api("sales").get("/api/contracts").status_code == 200
    assert api("agent").get("/api/service-orders").status_code == 200
    assert api("sales").get("/api/service-requests").status_code == 403
    assert api("sales").get("/api/products").status_code == 200


def test_lists_page_by_cursor_with_filters_sorting_and_updated_since(api):
    sales = api("sales")
    names = ["Cangzhou Marine", "Anqing Boats", "Binzhou Docks"]
    ids = {name: _customer(sales, name, grade="key").get_json()["id"] for name in names}
    first = sales.get("/api/customers?grade=key&sort=company&limit=2").get_json()
    assert [c["company"] for c in first["items"]] == ["Anqing Boats", "Binzhou Docks"] and first["next_cursor"]
    _customer(sales, "Aaa Added Meanwhile", grade="key")  # sorts before the cursor: not repeated, not skipped
    second = sales.get(f"/api/customers?grade=key&sort=company&limit=2&cursor={first['next_cursor']}").get_json()
    assert [c["company"] for c in second["items"]] == ["Cangzhou Marine"] and second["next_cursor"] is None
    newest = sales.get("/api/customers?grade=key&sort=-id&limit=1").get_json()["items"]
    assert newest[0]["company"] == "Aaa Added Meanwhile"

    later = (dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)).isoformat()
    sales.patch(f"/api/customers/{ids['Binzhou Docks']}", json={"region": "Hebei"}, headers={"If-Match": '"1"'})
    assert sales.get("/api/customers", query_string={"updated_since": later}).get_json()["items"] == []
    earlier = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)).isoformat().replace("+00:00", "Z")
    changed = sales.get("/api/customers", query_string={"updated_since": earlier, "grade": "key"}).get_json()["items"]
    assert ids["Binzhou Docks"] in [c["id"] for c in changed]


def test_a_bad_list_argument_is_a_400_that_says_why(api):
    sales = api("sales")
    for query, word in (("sort=secret", "Sort by"), ("limit=0", "limit"), ("cursor=not-ours", "cursor"),
                        ("updated_since=yesterday", "updated_since"), ("active=maybe", "active")):
        answer = sales.get(f"/api/customers?{query}")
        assert answer.status_code == 400 and word in answer.get_json()["error"], query
    _customer(sales, "Dalian Tugs")
    _customer(sales, "Eastern Ferries")
    cursor = sales.get("/api/customers?limit=1").get_json()["next_cursor"]
    other_order = sales.get(f"/api/customers?sort=company&cursor={cursor}")
    assert other_order.status_code == 400 and "another sort order" in other_order.get_json()["error"]
