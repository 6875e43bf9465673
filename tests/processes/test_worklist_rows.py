"""What a worklist page costs (issue 18): its rows are read as columns (no task, instance or version object is
loaded), and its statements are built once per shape and carry each reader's lanes and scope as parameters."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from engine.models import HumanTask, ProcessInstance, ProcessVersion
from services.processes import worklist
from tests.processes.task_helpers import add_customer, deploy, ready_task, start


@pytest.fixture
def fill_task(platform, actors, tmp_uploads):
    deploy(platform)
    return ready_task(platform, start(platform, actors["sales"]))


def test_the_worklist_loads_no_orm_objects_for_its_rows(platform, login, fill_task):
    loaded = []

    def note(target, context):
        loaded.append(type(target).__name__)

    sales = login("sales")
    for model in (HumanTask, ProcessInstance, ProcessVersion):
        event.listen(model, "load", note)
    try:
        page = sales.get("/worklist/?list=queue").get_data(as_text=True)
        listed = sales.get("/api/tasks").json["queue"]
    finally:
        for model in (HumanTask, ProcessInstance, ProcessVersion):
            event.remove(model, "load", note)
    assert f'data-task-id="{fill_task.id}"' in page and [t["id"] for t in listed] == [fill_task.id]
    assert loaded == []


def test_list_statements_are_built_once_and_each_reader_gets_their_own_rows(platform, actors, login, fill_task):
    customer = add_customer(platform, "Dalian Shipyard", owner="sales")
    own = ready_task(platform, start(platform, actors["sales"], customer_id=customer))
    worklist._statements.cache_clear()
    sales, sales2 = login("sales"), login("sales2")
    queue = sales.get("/worklist/?list=queue").get_data(as_text=True)
    assert own.id in queue and fill_task.id in queue
    queue2 = sales2.get("/worklist/?list=queue").get_data(as_text=True)  # the same lane, not sales's customers
    assert own.id not in queue2 and fill_task.id in queue2
    assert worklist._statements.cache_info().misses == 1  # one statement, each reader's scope its parameters
    assert own.id not in sales.get("/worklist/?list=mine").get_data(as_text=True)
    sales.post(f"/worklist/{own.id}/claim")
    assert own.id in sales.get("/worklist/?list=mine").get_data(as_text=True)  # the next request sees it
    assert own.id not in sales.get("/worklist/?list=queue").get_data(as_text=True)
    assert worklist._statements.cache_info().misses == 2  # the queue's and my tasks' statements


def test_the_search_is_case_blind_and_takes_wildcards_literally(platform, actors, login, fill_task):
    sales = login("sales")
    assert fill_task.id in sales.get("/worklist/?list=queue&q=EVERY+Field").get_data(as_text=True)
    for literal in ("%25", "_", "/"):  # %, _ and the escape character match only themselves
        assert fill_task.id not in sales.get(f"/worklist/?list=queue&q={literal}").get_data(as_text=True)
    assert [t["id"] for t in sales.get("/api/tasks?q=every+FIELD").json["queue"]] == [fill_task.id]
