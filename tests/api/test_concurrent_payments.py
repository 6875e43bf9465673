"""Payments posted at the same time (issue 15, PostgreSQL): a line is never paid beyond its amount, and every
payment on any line of a plan raises the plan's version once — none is lost, none fails for the other's."""

from __future__ import annotations

import threading

import pytest

from tests.api.test_order_writes import _contract, _plan, template_id  # noqa: F401
from tests.conftest import servers_mode

PER_LINE = 5


@pytest.mark.servers
@pytest.mark.skipif(not servers_mode(), reason="needs PostgreSQL (CRM_TEST_BACKEND=servers)")
def test_concurrent_payments_on_one_plan(api, template_id):  # noqa: F811
    sales = api("sales")
    plan = _plan(sales, _contract(sales, template_id)["id"])
    advance, delivery = (line["id"] for line in plan["lines"])  # 30,000.00 and 70,000.00 open
    clients = [api("finance") for _ in range(2 * PER_LINE)]
    barrier, answers = threading.Barrier(len(clients)), []

    def post(client, line_id: int, amount: str) -> None:
        barrier.wait()
        answers.append((line_id, client.post("/api/payments", json={
            "plan_line_id": line_id, "amount": amount, "received_on": "2027-01-10"}).status_code))

    threads = [threading.Thread(target=post, args=(client, *((advance, "10000.00") if n % 2 else (delivery, "1.00"))))
               for n, client in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert sorted(status for line, status in answers if line == advance) == [201, 201, 201, 422, 422]
    assert [status for line, status in answers if line == delivery] == [201] * PER_LINE
    after = sales.get(f"/api/payment-plans/{plan['id']}")
    lines = after.get_json()["lines"]
    assert [(line["paid_amount"], line["status"]) for line in lines] == [("30000.00", "settled"),
                                                                          ("5.00", "partially_paid")]
    assert after.get_json()["version"] == plan["version"] + 3 + PER_LINE
