"""Worklist rows say what a task is about: the customer's name and the process's key figure (formatted), the
search finds tasks by customer name, and the page costs a bounded number of statements whatever its length."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import event

from crm import formatting
from crm.customers.models import Customer
from crm.customers.service_plans import ServicePlan
from crm.service.service_desk import ServiceOrder, ServiceRequest
from tests.processes.task_helpers import add_customer, deploy, ready_task, start, update_task
from tests.processes.test_worklist_page import _row


def _task_of(platform, actors, company: str, process_key: str | None = None):
    """A queue task of ``all_fields`` for a new customer of sales, posing as a task of ``process_key``."""
    customer_id = add_customer(platform, company, owner="sales")
    task = ready_task(platform, start(platform, actors["sales"], customer_id=customer_id))
    if process_key:
        update_task(platform, task.id, process_key=process_key)
    return task, customer_id


def test_a_row_shows_the_customer_and_the_formatted_key_figure(platform, actors, login, tmp_uploads):
    deploy(platform)
    plan_task, plan_customer = _task_of(platform, actors, "上海远洋船舶有限公司", "relationship_maintenance")
    order_task, order_customer = _task_of(platform, actors, "Harbour Pumps Ltd", "service_request")
    plain, _ = _task_of(platform, actors, "Quiet Co")
    with platform.sessions.begin() as session:
        session.add(ServicePlan(customer_id=plan_customer, budget=Decimal("1234567.5"),
                                instance_id=plan_task.instance_id))
        customer = session.get(Customer, order_customer)
        request = ServiceRequest(customer=customer, channel="phone", request_type="repair", description="Leak",
                                 instance_id=order_task.instance_id)
        session.add(ServiceOrder(request=request, customer=customer, planned_hours=Decimal("1000"),
                                 instance_id=order_task.instance_id))
    sales = login("sales")
    page = sales.get("/worklist/?list=queue").get_data(as_text=True)
    budget = formatting.money(Decimal("1234567.5"))
    assert "上海远洋船舶有限公司" in _row(page, plan_task.id) and f"Budget {budget}" in _row(page, plan_task.id)
    assert budget == "¥1,234,567.50"  # the formatted figure, not the raw Decimal
    assert "Harbour Pumps Ltd" in _row(page, order_task.id)
    assert "Planned hours 1,000.0 h" in _row(page, order_task.id)
    assert "Quiet Co" in _row(page, plain.id) and "crm-task-figure" not in _row(page, plain.id)

    listed = {t["id"]: t for t in sales.get("/api/tasks").json["queue"]}
    assert listed[plan_task.id]["customer_name"] == "上海远洋船舶有限公司"
    assert listed[plan_task.id]["key_figure"] == {"label": "Budget", "unit": "money", "value": "1234567.50",
                                                  "text": budget}
    assert listed[order_task.id]["key_figure"]["text"] == "1,000.0 h"
    assert listed[plain.id]["customer_name"] == "Quiet Co" and listed[plain.id]["key_figure"] is None


def test_search_finds_tasks_by_part_of_the_customer_name(platform, actors, login, tmp_uploads):
    deploy(platform)
    chinese, _ = _task_of(platform, actors, "上海远洋船舶有限公司")
    latin, _ = _task_of(platform, actors, "Harbour Pumps Ltd")
    sales = login("sales")
    found = sales.get("/worklist/?list=queue&q=远洋船舶").get_data(as_text=True)
    assert chinese.id in found and latin.id not in found
    found = sales.get("/worklist/?list=queue&q=harbour+pump").get_data(as_text=True)
    assert latin.id in found and chinese.id not in found
    assert sales.get("/worklist/?list=queue&q=%25").get_data(as_text=True).count("data-task-id=") == 0  # % is text
    assert [t["id"] for t in sales.get("/api/tasks?q=远洋").json["queue"]] == [chinese.id]


def _statements(platform, client, url: str) -> int:
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731  (before_cursor_execute's statement)
    event.listen(platform.db, "before_cursor_execute", listener)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(platform.db, "before_cursor_execute", listener)
    return len(statements)


def test_the_page_runs_the_same_statements_for_one_row_or_many(platform, actors, login, tmp_uploads):
    deploy(platform)
    first, customer_id = _task_of(platform, actors, "First Customer", "relationship_maintenance")
    with platform.sessions.begin() as session:
        session.add(ServicePlan(customer_id=customer_id, budget=Decimal("10"), instance_id=first.instance_id))
    sales = login("sales")
    sales.get("/worklist/?list=queue")  # warm up what is read once per process (e.g. process names)
    one = _statements(platform, sales, "/worklist/?list=queue")
    for number in range(12):
        task, customer_id = _task_of(platform, actors, f"Customer {number}", "relationship_maintenance")
        with platform.sessions.begin() as session:
            session.add(ServicePlan(customer_id=customer_id, budget=Decimal(number), instance_id=task.instance_id))
    page = sales.get("/worklist/?list=queue").get_data(as_text=True)
    assert page.count("data-task-id=") == 13 and "Customer 11" in page
    assert _statements(platform, sales, "/worklist/?list=queue") == one
    assert _statements(platform, sales, "/api/tasks") <= one
