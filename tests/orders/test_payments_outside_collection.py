"""A payment recorded where it arrives — the plan page or POST /api/payments — on a line a collection process is
collecting: it is recorded with the usual checks, and the process learns of it through its open task (it goes on
with what is still open, or ends when the line is settled)."""

import datetime as dt
from decimal import Decimal

from crm.orders.payments import PaymentPlan, PaymentPlanLine

from .test_payment_collection import active_contract, make_plan  # noqa: F401


def _collected_line(desk, contract_id: int) -> tuple[int, int]:
    """A plan whose first line (116,295.83) is being collected: (line id, instance id)."""
    due = dt.date.today() + dt.timedelta(days=20)
    plan_id = make_plan(desk, contract_id, [("Advance", due, "30", ""), ("Balance", due, "70", "")])
    assert desk.user("finance").post(f"/payments/plans/{plan_id}/collect").status_code == 302
    with desk.platform.sessions() as session:
        line = session.get(PaymentPlan, plan_id).lines[0]
        return line.id, line.collection_instance_id


def _paid(desk, line_id: int) -> tuple[Decimal, int, str]:
    """The line's paid amount, its number of payments (which add up to it) and its status."""
    with desk.platform.sessions() as session:
        line = session.get(PaymentPlanLine, line_id)
        assert sum((p.amount for p in line.payments), Decimal(0)) == line.paid_amount
        return line.paid_amount, len(line.payments), line.status


def test_a_payment_on_the_plan_page_and_the_api_reaches_the_collection(desk, active_contract):  # noqa: F811
    line_id, instance_id = _collected_line(desk, active_contract)
    finance, today = desk.user("finance"), dt.date.today().isoformat()
    first_task = desk.task(instance_id, "pc_record").id

    page = finance.post(f"/payments/lines/{line_id}/payments", {"amount": "100000.00", "received_on": today})
    assert page.status_code == 302
    assert _paid(desk, line_id) == (Decimal("100000.00"), 1, "partially_paid")
    task = desk.task(instance_id, "pc_record")
    assert task.id != first_task and desk.instance(instance_id).status == "running"
    initial = finance.get(f"/api/tasks/{task.id}").get_json()["initial"]
    assert (initial["open_amount"], initial["amount_received"]) == ("16295.83", "16295.83")

    over = finance.api("POST", "/api/payments", json={"plan_line_id": line_id, "amount": "16295.84",
                                                      "received_on": today})
    assert over.status_code == 422 and "Only ¥16,295.83 is open" in over.get_json()["fields"]["amount"][0]
    assert desk.task(instance_id, "pc_record").id == task.id

    rest = finance.api("POST", "/api/payments", json={"plan_line_id": line_id, "amount": "16295.83",
                                                      "received_on": today, "reference": "ERP-9"})
    assert rest.status_code == 201, rest.get_json()
    assert _paid(desk, line_id) == (Decimal("116295.83"), 2, "settled")
    assert desk.instance(instance_id).status == "completed" and desk.ready_names(instance_id) == []
    listed = finance.get("/api/tasks").get_json()
    assert task.id not in {t["id"] for t in listed["mine"] + listed["queue"]}
    replayed = finance.api("POST", "/api/payments", json={"plan_line_id": line_id, "amount": "16295.83",
                                                          "received_on": today, "reference": "ERP-9"})
    assert replayed.status_code == 200 and _paid(desk, line_id) == (Decimal("116295.83"), 2, "settled")


def test_the_task_still_records_what_is_open_after_an_outside_payment(desk, active_contract):  # noqa: F811
    line_id, instance_id = _collected_line(desk, active_contract)
    finance = desk.user("finance")
    posted = finance.api("POST", "/api/payments", json={"plan_line_id": line_id, "amount": "16295.83",
                                                        "received_on": dt.date.today().isoformat()})
    assert posted.status_code == 201, posted.get_json()
    desk.do(instance_id, "pc_record", amount_received="100000.00", received_on=dt.date.today())
    assert _paid(desk, line_id) == (Decimal("116295.83"), 2, "settled")
    assert desk.instance(instance_id).status == "completed"

