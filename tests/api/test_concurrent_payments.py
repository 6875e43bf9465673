"""Payments posted at the same time (issue 15, PostgreSQL): a line is never paid beyond its amount, and every
payment on any line of a plan raises the plan's version once — none is lost, none fails for the other's; a payment
posted while the line's collection task is being completed is counted once."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest

from crm.orders.payments import PaymentPlanLine
from engine.models import ProcessInstance
from engine.runtime import Actor
from services.orders import queries
from services.orders.process_starts import start_collection
from tests.api.test_order_writes import _contract, _plan, template_id  # noqa: F401
from tests.conftest import servers_mode
from tests.support.api_driver import bpmn_files

PER_LINE = 5
ROUNDS = 6


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


@pytest.fixture
def collected_lines(api, platform, template_id):  # noqa: F811
    """ROUNDS plans whose 30,000.00 advance line is being collected: [(line id, its open task id)]."""
    with platform.sessions.begin() as session:
        platform.engine.deploy(session, bpmn_files(["payment_collection.bpmn"]), "owner")
    sales, lines = api("sales"), []
    contract_id = _contract(sales, template_id, amount=str(30000 * ROUNDS))["id"]
    for _ in range(ROUNDS):
        plan = _plan(sales, contract_id, [{"label": "Advance", "due_date": "2027-01-15", "amount": "30000.00"}])
        with platform.sessions.begin() as session:
            start_collection(session, platform.engine, plan["id"], Actor("finance", frozenset({"finance"})))
        with platform.sessions() as session:
            line = session.get(PaymentPlanLine, plan["lines"][0]["id"])
            task = queries.ready_collection_tasks(session, [line.collection_instance_id])[line.collection_instance_id]
            lines.append((line.id, task.id))
    return lines


@pytest.mark.servers
@pytest.mark.skipif(not servers_mode(), reason="needs PostgreSQL (CRM_TEST_BACKEND=servers)")
def test_the_collection_task_and_a_posted_payment_at_once_count_once(api, platform, collected_lines):
    """Someone completes the line's "Record payment" task while the ERP posts the same 20,000.00: one of the two is
    recorded, the other refused (409: the task was completed meanwhile; 422: only 10,000.00 is open)."""
    answers = []
    for line_id, task_id in collected_lines:
        barrier, statuses = threading.Barrier(2), {}
        by_task, by_post = api("finance"), api("finance")

        def complete(client=by_task, task_id=task_id, statuses=statuses, barrier=barrier) -> None:
            barrier.wait()
            statuses["task"] = client.post(f"/api/tasks/{task_id}/complete", json={
                "amount_received": "20000.00", "received_on": "2027-01-10", "payment_reference": ""}).status_code

        def post(client=by_post, line_id=line_id, statuses=statuses, barrier=barrier) -> None:
            barrier.wait()
            statuses["post"] = client.post("/api/payments", json={
                "plan_line_id": line_id, "amount": "20000.00", "received_on": "2027-01-10"}).status_code

        threads = [threading.Thread(target=complete), threading.Thread(target=post)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        answers.append(statuses)
        with platform.sessions() as session:
            line = session.get(PaymentPlanLine, line_id)
            assert (line.paid_amount, [p.amount for p in line.payments]) == (Decimal("20000.00"),
                                                                             [Decimal("20000.00")]), statuses
            instance = session.get(ProcessInstance, line.collection_instance_id)
            assert instance.status == "running" and instance.error_message is None
            open_task = queries.ready_collection_tasks(session, [instance.id])[instance.id]
            assert open_task.id != task_id
    for statuses in answers:
        assert sorted(statuses.values()) in ([200, 409], [201, 409], [200, 422]), answers
