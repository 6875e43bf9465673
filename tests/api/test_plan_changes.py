"""PATCH /api/payment-plans/<id> beyond title, labels and due dates: a line's amount, lines added and removed, with
finance's rules (never below what is paid, a paid line stays, the contract's amount caps its plans), If-Match, and
the collection process of a changed line going on with the new amount."""

from __future__ import annotations

from engine.runtime import Actor
from services.orders import queries
from services.orders.process_starts import start_collection
from tests.api.test_order_writes import _contract, _plan, template_id  # noqa: F401
from tests.support.api_driver import bpmn_files


def _patch(user, plan: dict, lines: list[dict], etag: str | None = None):
    url = f"/api/payment-plans/{plan['id']}"
    return user.patch(url, json={"lines": lines}, headers={"If-Match": etag or user.get(url).headers["ETag"]})


def test_amounts_change_lines_come_and_go_within_the_contract(api, template_id):  # noqa: F811
    sales, finance = api("sales"), api("finance")
    plan = _plan(sales, _contract(sales, template_id)["id"])  # 30,000.00 (30 %) + 70,000.00 of 100,000.00
    advance, delivery = plan["lines"]
    finance.post("/api/payments", json={"plan_line_id": advance["id"], "amount": "10000.00",
                                        "received_on": "2027-01-10"})

    changed = _patch(sales, plan, [{"id": advance["id"], "amount": "20000.00"},
                                   {"id": delivery["id"], "amount": "60000.00"},
                                   {"label": "Retention", "due_date": "2027-12-31", "amount": "20000.00"}])
    assert changed.status_code == 200, changed.get_json()
    assert [(line["position"], line["label"], line["amount"], line["percent"], line["status"])
            for line in changed.get_json()["lines"]] == [
        (1, "Advance", "20000.00", None, "partially_paid"), (2, "Delivery", "60000.00", None, "open"),
        (3, "Retention", "20000.00", None, "open")]
    assert changed.get_json()["version"] > plan["version"]

    removed = _patch(sales, plan, [{"id": delivery["id"], "remove": True}])
    assert removed.status_code == 200, removed.get_json()
    assert [(line["position"], line["label"]) for line in removed.get_json()["lines"]] == [
        (1, "Advance"), (2, "Retention")]

    settled = _patch(sales, plan, [{"id": advance["id"], "amount": "10000.00"}])
    assert settled.status_code == 200
    assert (settled.get_json()["lines"][0]["status"], settled.get_json()["lines"][0]["settled_on"]) == (
        "settled", "2027-01-10")


def test_plan_changes_against_the_rules_are_422_by_field(api, template_id):  # noqa: F811
    sales, finance = api("sales"), api("finance")
    plan = _plan(sales, _contract(sales, template_id)["id"])
    advance, delivery = plan["lines"]
    finance.post("/api/payments", json={"plan_line_id": advance["id"], "amount": "10000.00",
                                        "received_on": "2027-01-10"})
    url = f"/api/payment-plans/{plan['id']}"
    etag = sales.get(url).headers["ETag"]

    below_paid = _patch(sales, plan, [{"id": advance["id"], "amount": "9999.99"},
                                      {"id": delivery["id"], "amount": "0"}], etag)
    assert below_paid.status_code == 422
    fields = below_paid.get_json()["fields"]
    assert "already paid" in fields["lines.0.amount"][0] and "positive" in fields["lines.1.amount"][0]
    paid_line = _patch(sales, plan, [{"id": advance["id"], "remove": True}], etag)
    assert paid_line.status_code == 422 and "has payments" in paid_line.get_json()["fields"]["lines.0.remove"][0]
    beyond = _patch(sales, plan, [{"id": delivery["id"], "amount": "70000.01"}], etag)
    assert beyond.status_code == 422 and "exceed the contract amount" in beyond.get_json()["fields"]["lines"][0]
    incomplete = _patch(sales, plan, [{"label": "More"}, {"id": 2**31 - 1, "amount": "1"}, {"remove": True}], etag)
    assert incomplete.status_code == 422
    assert set(incomplete.get_json()["fields"]) == {"lines.0.due_date", "lines.0.amount", "lines.1.id",
                                                    "lines.2.label", "lines.2.due_date", "lines.2.amount",
                                                    "lines.2.remove"}
    assert sales.get(url).headers["ETag"] == etag  # nothing was changed

    moved_on = _patch(sales, plan, [{"id": delivery["id"], "label": "Hand-over"}], etag)
    assert moved_on.status_code == 200
    stale = _patch(sales, plan, [{"id": delivery["id"], "amount": "1000.00"}], etag)
    assert stale.status_code == 412
    assert sales.get(url).get_json()["lines"][1]["amount"] == "70000.00"


def test_a_collected_line_goes_on_with_its_new_amount_or_ends(api, platform, template_id):  # noqa: F811
    with platform.sessions.begin() as session:
        platform.engine.deploy(session, bpmn_files(["payment_collection.bpmn"]), "owner")
    sales, finance = api("sales"), api("finance")
    plan = _plan(sales, _contract(sales, template_id)["id"])
    advance = plan["lines"][0]
    with platform.sessions.begin() as session:
        instance_id = start_collection(session, platform.engine, plan["id"],
                                       Actor("finance", frozenset({"finance"})))[0].id
    finance.post("/api/payments", json={"plan_line_id": advance["id"], "amount": "10000.00",
                                        "received_on": "2027-01-10"})

    assert _patch(sales, plan, [{"id": advance["id"], "amount": "25000.00"}]).status_code == 200
    task = _open_task(platform, instance_id)
    initial = finance.get(f"/api/tasks/{task}").get_json()["initial"]
    assert (initial["open_amount"], initial["amount_received"]) == ("15000.00", "15000.00")

    assert _patch(sales, plan, [{"id": advance["id"], "amount": "10000.00"}]).status_code == 200
    assert _open_task(platform, instance_id) is None
    assert finance.get(f"/api/instances/{instance_id}").get_json()["status"] == "completed"


def _open_task(platform, instance_id: int) -> str | None:
    with platform.sessions() as session:
        task = queries.ready_collection_tasks(session, [instance_id]).get(instance_id)
        return task.id if task is not None else None
