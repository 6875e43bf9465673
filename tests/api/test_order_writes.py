"""Order records written through the API (issue 15): products, contracts, payment plans and the payments an ERP
posts, with the pages' rules, the data scope, If-Match and the plan's version following its lines."""

from __future__ import annotations

import datetime as dt

import pytest

from crm.orders.contracts import ContractTemplate

TODAY = dt.date(2026, 12, 7)


@pytest.fixture
def template_id(platform) -> int:
    with platform.sessions.begin() as session:
        template = ContractTemplate(name="Standard", body="<h1>{{ contract.number }}</h1>")
        session.add(template)
        session.flush()
        return template.id


def _customer(user, company="Huanghai Shipyard") -> int:
    created = user.post("/api/customers", json={"company": company})
    assert created.status_code == 201, created.get_json()
    return created.get_json()["id"]


def _contract(user, template_id: int, amount="100000.00", **extra) -> dict:
    created = user.post("/api/contracts", json={"template_id": template_id, "customer_id": _customer(user),
                                                "title": "Two tugs", "amount": amount, **extra})
    assert created.status_code == 201, created.get_json()
    return created.get_json()


def _plan(user, contract_id: int, lines=None) -> dict:
    lines = lines or [{"label": "Advance", "due_date": "2027-01-15", "percent": "30"},
                      {"label": "Delivery", "due_date": "2027-06-30", "amount": "70000.00"}]
    created = user.post("/api/payment-plans", json={"contract_id": contract_id, "lines": lines})
    assert created.status_code == 201, created.get_json()
    return created.get_json()


def test_a_product_is_created_changed_under_if_match_and_deactivated(api):
    info = api("info")
    created = info.post("/api/products", json={"code": "TUG-30", "name": "30 m tug", "unit_price": "2500000.00"})
    assert created.status_code == 201, created.get_json()
    product = created.get_json()
    assert (product["kind"], product["unit"], product["unit_price"], product["version"]) == (
        "product", "pc", "2500000.00", 1)
    url = f"/api/products/{product['id']}"
    saved = info.patch(url, json={"unit_price": 2600000}, headers={"If-Match": created.headers["ETag"]})
    assert saved.status_code == 200 and saved.get_json()["unit_price"] == "2600000.00"
    assert saved.headers["ETag"] == '"2"' and saved.get_json()["name"] == "30 m tug"
    lost = info.patch(url, json={"name": "Other"}, headers={"If-Match": '"1"'})
    assert lost.status_code == 412
    assert info.post(f"{url}/deactivate").get_json()["active"] is False
    assert [p["id"] for p in info.get("/api/products?active=false").get_json()["items"]] == [product["id"]]


def test_a_product_is_bounded_like_its_columns_and_its_code_is_unique(api):
    info = api("info")
    assert info.post("/api/products", json={"code": "A", "name": "a", "unit_price": "1"}).status_code == 201
    refused = info.post("/api/products", json={"code": "A", "name": "x" * 201, "unit_price": "-1", "kind": "ship",
                                               "unit": "u" * 21})
    assert refused.status_code == 422
    assert set(refused.get_json()["fields"]) == {"code", "name", "unit_price", "kind", "unit"}
    three_places = info.post("/api/products", json={"code": "B", "name": "b", "unit_price": "1.005"})
    assert three_places.status_code == 422 and "unit_price" in three_places.get_json()["fields"]


def test_only_the_catalogue_keepers_write_products(api):
    answer = api("sales").post("/api/products", json={"code": "X", "name": "x", "unit_price": "1"})
    assert answer.status_code == 403


def test_a_draft_contract_is_made_changed_and_cancelled(api, template_id):
    sales = api("sales")
    contract = _contract(sales, template_id, payment_terms="30 % advance")
    assert (contract["status"], contract["amount"], contract["version"]) == ("draft", "100000.00", 1)
    url = f"/api/contracts/{contract['id']}"
    saved = sales.patch(url, json={"amount": "120000", "end_date": "2027-12-31"}, headers={"If-Match": '"1"'})
    assert saved.status_code == 200, saved.get_json()
    assert (saved.get_json()["amount"], saved.get_json()["end_date"], saved.get_json()["version"]) == (
        "120000.00", "2027-12-31", 2)
    backwards = sales.patch(url, json={"start_date": "2028-01-01"}, headers={"If-Match": '"2"'})
    assert backwards.status_code == 422 and "end date" in backwards.get_json()["fields"]["_body"][0]
    assert sales.post(f"{url}/deactivate").get_json()["status"] == "cancelled"
    again = sales.patch(url, json={"title": "x"}, headers={"If-Match": '"3"'})
    assert again.status_code == 409 and "only a draft" in again.get_json()["error"]


def test_a_contract_in_approval_is_refused_with_409(api, platform, template_id):
    from crm.orders.contracts import Contract

    sales = api("sales")
    contract = _contract(sales, template_id)
    with platform.sessions.begin() as session:
        session.get(Contract, contract["id"]).status = "in_approval"
    url = f"/api/contracts/{contract['id']}"
    changed = sales.patch(url, json={"title": "Three tugs"}, headers={"If-Match": '"2"'})
    assert changed.status_code == 409 and "in approval" in changed.get_json()["error"]
    assert sales.post(f"{url}/deactivate").status_code == 409


def test_an_active_contract_is_terminated_by_a_director_under_if_match(api, platform, template_id):
    from crm.orders.contracts import Contract

    contract = _contract(api("sales"), template_id)
    url = f"/api/contracts/{contract['id']}/terminate"
    director = api("salesdir")
    draft = director.post(url, json={"terminated_on": "2027-03-31"}, headers={"If-Match": '"1"'})
    assert draft.status_code == 409 and "not Active" in draft.get_json()["error"]
    with platform.sessions.begin() as session:
        session.get(Contract, contract["id"]).status = "active"  # approved (the approval process's outcome)
    assert api("sales").post(url, json={"terminated_on": "2027-03-31"}, headers={"If-Match": '"2"'}
                             ).status_code == 403
    assert director.post(url, json={"terminated_on": "2027-03-31"}).status_code == 428
    assert director.post(url, json={"terminated_on": "2027-03-31"}, headers={"If-Match": '"1"'}).status_code == 412
    bad = director.post(url, json={"terminated_on": "31/03/2027"}, headers={"If-Match": '"2"'})
    assert bad.status_code == 422 and "terminated_on" in bad.get_json()["fields"]
    ended = director.post(url, json={"terminated_on": "2027-03-31"}, headers={"If-Match": '"2"'})
    assert ended.status_code == 200, ended.get_json()
    assert (ended.get_json()["status"], ended.get_json()["version"]) == ("terminated", 3)
    again = director.post(url, json={"terminated_on": "2027-04-01"}, headers={"If-Match": '"3"'})
    assert again.status_code == 409


def test_contracts_and_plans_outside_the_scope_are_404_or_refused(api, template_id):
    sales, sales2 = api("sales"), api("sales2")
    contract = _contract(sales, template_id)
    url = f"/api/contracts/{contract['id']}"
    assert sales2.get(url).status_code == 404
    assert sales2.patch(url, json={"title": "mine"}, headers={"If-Match": '"1"'}).status_code == 404
    assert sales2.post(f"{url}/deactivate").status_code == 404
    plan = sales2.post("/api/payment-plans", json={"contract_id": contract["id"], "lines": [
        {"label": "All", "due_date": "2027-01-01", "amount": "1"}]})
    assert plan.status_code == 422 and "contract_id" in plan.get_json()["fields"]
    foreign = sales2.post("/api/contracts", json={"template_id": template_id, "customer_id": contract["customer_id"],
                                                  "title": "x", "amount": "1"})
    assert foreign.status_code == 422 and "customer_id" in foreign.get_json()["fields"]


def test_a_plan_is_drawn_up_and_its_lines_checked_one_by_one(api, template_id):
    sales = api("sales")
    contract = _contract(sales, template_id)
    plan = _plan(sales, contract["id"])
    assert [(line["label"], line["amount"], line["status"]) for line in plan["lines"]] == [
        ("Advance", "30000.00", "open"), ("Delivery", "70000.00", "open")]
    refused = sales.post("/api/payment-plans", json={"contract_id": contract["id"], "lines": [
        {"label": "", "due_date": "soon", "amount": "1"}, {"label": "Both", "due_date": "2027-01-01",
                                                            "amount": "1", "percent": "1"}]})
    assert refused.status_code == 422
    assert set(refused.get_json()["fields"]) == {"lines.0.label", "lines.0.due_date", "lines.1.amount"}
    beyond = sales.post("/api/payment-plans", json={"contract_id": contract["id"], "lines": [
        {"label": "More", "due_date": "2027-01-01", "amount": "0.01"}]})
    assert beyond.status_code == 422 and "exceed" in beyond.get_json()["fields"]["lines"][0]


def test_a_payment_posted_by_the_erp_updates_the_line_and_the_plans_version(api, template_id):
    sales, finance = api("sales"), api("finance")
    plan = _plan(sales, _contract(sales, template_id)["id"])
    advance = plan["lines"][0]
    before = finance.get(f"/api/payment-plans/{plan['id']}")
    posted = finance.post("/api/payments", json={"plan_line_id": advance["id"], "amount": "10000.00",
                                                 "received_on": "2027-01-10", "reference": "ERP-4711"})
    assert posted.status_code == 201, posted.get_json()
    assert (posted.get_json()["amount"], posted.get_json()["reference"]) == ("10000.00", "ERP-4711")
    after = finance.get(f"/api/payment-plans/{plan['id']}")
    line = after.get_json()["lines"][0]
    assert (line["paid_amount"], line["status"]) == ("10000.00", "partially_paid")
    assert int(after.headers["ETag"].strip('"')) > int(before.headers["ETag"].strip('"'))

    replayed = finance.post("/api/payments", json={"plan_line_id": advance["id"], "amount": "10000.00",
                                                   "received_on": "2027-01-10", "reference": "ERP-4711"})
    assert replayed.status_code == 200 and replayed.get_json()["id"] == posted.get_json()["id"]
    other = finance.post("/api/payments", json={"plan_line_id": advance["id"], "amount": "5.00",
                                                "received_on": "2027-01-10", "reference": "ERP-4711"})
    assert other.status_code == 409 and "ERP-4711" in other.get_json()["error"]
    paid = finance.get(f"/api/payment-plans/{plan['id']}").get_json()["lines"][0]["paid_amount"]
    assert paid == "10000.00"


def test_an_over_payment_and_a_payment_on_a_settled_line_are_422(api, template_id):
    sales, finance = api("sales"), api("finance")
    advance = _plan(sales, _contract(sales, template_id)["id"])["lines"][0]
    over = finance.post("/api/payments", json={"plan_line_id": advance["id"], "amount": "30000.01",
                                               "received_on": "2027-01-10"})
    assert over.status_code == 422 and "Only ¥30,000.00 is open" in over.get_json()["fields"]["amount"][0]
    settled = finance.post("/api/payments", json={"plan_line_id": advance["id"], "amount": "30000.00",
                                                  "received_on": "2027-01-10"})
    assert settled.status_code == 201
    again = finance.post("/api/payments", json={"plan_line_id": advance["id"], "amount": "1.00",
                                                "received_on": "2027-01-11"})
    assert again.status_code == 422 and "settled" in again.get_json()["fields"]["plan_line_id"][0]
    for amount in ("0", "-5", "1.001", "lots"):
        bad = finance.post("/api/payments", json={"plan_line_id": advance["id"], "amount": amount,
                                                  "received_on": "2027-01-10"})
        assert bad.status_code == 422 and "amount" in bad.get_json()["fields"], amount


def test_only_finance_records_payments(api, template_id):
    sales = api("sales")
    advance = _plan(sales, _contract(sales, template_id)["id"])["lines"][0]
    answer = sales.post("/api/payments", json={"plan_line_id": advance["id"], "amount": "1.00",
                                               "received_on": "2027-01-10"})
    assert answer.status_code == 403


def test_a_plan_change_needs_the_current_version_and_leaves_settled_due_dates(api, template_id):
    sales, finance = api("sales"), api("finance")
    plan = _plan(sales, _contract(sales, template_id)["id"])
    url = f"/api/payment-plans/{plan['id']}"
    advance, delivery = plan["lines"]
    finance.post("/api/payments", json={"plan_line_id": advance["id"], "amount": "30000.00",
                                        "received_on": "2027-01-10"})
    stale = sales.patch(url, json={"title": "Tugs"}, headers={"If-Match": f'"{plan["version"]}"'})
    assert stale.status_code == 412
    etag = sales.get(url).headers["ETag"]
    moved = sales.patch(url, json={"lines": [{"id": delivery["id"], "due_date": "2027-07-31"}]},
                        headers={"If-Match": etag})
    assert moved.status_code == 200 and moved.get_json()["lines"][1]["due_date"] == "2027-07-31"
    refused = sales.patch(url, json={"lines": [{"id": advance["id"], "due_date": "2027-02-01"}]},
                          headers={"If-Match": moved.headers["ETag"]})
    assert refused.status_code == 409 and "settled" in refused.get_json()["error"]


def test_an_activity_is_changed_under_if_match(api):
    sales = api("sales")
    customer_id = _customer(sales)
    logged = sales.post("/api/activities", json={"customer_id": customer_id, "kind": "call", "subject": "Price"})
    assert logged.status_code == 201 and logged.headers["ETag"] == '"1"'
    url = f"/api/activities/{logged.get_json()['id']}"
    assert sales.patch(url, json={"outcome": "Agreed"}).status_code == 428
    saved = sales.patch(url, json={"outcome": "Agreed", "next_action": "Send quote", "next_action_date": "2027-01-05"},
                        headers={"If-Match": '"1"'})
    assert saved.status_code == 200, saved.get_json()
    assert (saved.get_json()["outcome"], saved.get_json()["subject"], saved.headers["ETag"]) == (
        "Agreed", "Price", '"2"')
    lost = sales.patch(url, json={"outcome": "Refused"}, headers={"If-Match": '"1"'})
    assert lost.status_code == 412
    too_long = sales.patch(url, json={"subject": "x" * 301}, headers={"If-Match": '"2"'})
    assert too_long.status_code == 422 and "subject" in too_long.get_json()["fields"]
    assert api("sales2").patch(url, json={"outcome": "x"}, headers={"If-Match": '"2"'}).status_code == 404


def test_a_payment_or_a_line_change_shows_the_plan_as_changed_since(api, template_id, platform):
    from crm.orders.payments import PaymentPlanLine

    sales, finance = api("sales"), api("finance")
    plan = _plan(sales, _contract(sales, template_id)["id"])
    before = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    assert sales.get(f"/api/payment-plans?updated_since={before}").get_json()["items"] == []
    finance.post("/api/payments", json={"plan_line_id": plan["lines"][1]["id"], "amount": "1.00",
                                        "received_on": "2027-01-10"})
    assert [p["id"] for p in sales.get(f"/api/payment-plans?updated_since={before}").get_json()["items"]] == [
        plan["id"]]

    later = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    with platform.sessions.begin() as session:  # a process step reminding about the line
        session.get(PaymentPlanLine, plan["lines"][0]["id"]).reminded_at = dt.datetime(2027, 1, 8)
    changed = sales.get(f"/api/payment-plans?updated_since={later}")
    assert [p["id"] for p in changed.get_json()["items"]] == [plan["id"]]
