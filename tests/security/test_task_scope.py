"""Task actions (claim, release, hand over; HTML and API) see a task exactly as GET /api/tasks/{id} does.

A salesperson-lane task about ``sales``' customer is invisible to ``sales2``: every action on it is a 404, as if
it did not exist. The customer's owner (and an administrator) can release or take back the task whoever holds it.
"""

from __future__ import annotations

import pytest

from engine.models import HumanTask
from tests.processes.task_helpers import add_customer, deploy, ready_task, start, update_task


@pytest.fixture
def their_task(platform, actors, tmp_uploads):
    """A ready salesperson-lane task about a customer owned by ``sales``."""
    deploy(platform)
    customer = add_customer(platform, "Sam's yard", owner="sales")
    return ready_task(platform, start(platform, actors["sales"], customer_id=customer))


def assignee(platform, task_id: str) -> str | None:
    with platform.sessions() as session:
        return session.get(HumanTask, task_id).assignee


def test_an_outsider_cannot_claim_hand_over_or_release_by_id(platform, login, their_task):
    sales2 = login("sales2")
    task_id = their_task.id
    assert sales2.get(f"/api/tasks/{task_id}").status_code == 404
    assert sales2.post(f"/worklist/{task_id}/claim").status_code == 404
    assert sales2.api("POST", f"/api/tasks/{task_id}/claim").status_code == 404
    assert sales2.post(f"/tasks/{task_id}/handover", data={"assignee": "sales2"}).status_code == 404
    assert sales2.api("POST", f"/api/tasks/{task_id}/assign", json={"username": "sales2"}).status_code == 404
    update_task(platform, task_id, assignee="sales")
    assert sales2.post(f"/worklist/{task_id}/unclaim").status_code == 404
    assert sales2.api("POST", f"/api/tasks/{task_id}/unclaim").status_code == 404
    assert assignee(platform, task_id) == "sales"


def test_a_task_of_another_lane_is_a_404_too(platform, login, their_task):
    custdir = login("custdir")
    assert custdir.post(f"/worklist/{their_task.id}/claim").status_code == 404
    assert custdir.api("POST", f"/api/tasks/{their_task.id}/claim").status_code == 404
    assert assignee(platform, their_task.id) is None


@pytest.mark.parametrize("via", ["html", "api"])
def test_the_owner_releases_and_takes_back_a_task_taken_wrongly(platform, login, their_task, via):
    """sales2 holds sales' task (taken before the check existed): sales releases it, claims it back."""
    update_task(platform, their_task.id, assignee="sales2")
    sales = login("sales")
    if via == "html":
        assert sales.post(f"/worklist/{their_task.id}/unclaim").status_code == 302
    else:
        assert sales.api("POST", f"/api/tasks/{their_task.id}/unclaim").json["assignee"] is None
    assert assignee(platform, their_task.id) is None
    update_task(platform, their_task.id, assignee="sales2")
    if via == "html":
        assert sales.post(f"/worklist/{their_task.id}/claim").status_code == 302
    else:
        assert sales.api("POST", f"/api/tasks/{their_task.id}/claim").json["assignee"] == "sales"
    assert assignee(platform, their_task.id) == "sales"


def test_the_owner_and_an_admin_hand_over_a_task_someone_else_holds(platform, login, their_task):
    update_task(platform, their_task.id, assignee="sales2")
    handed = login("sales").api("POST", f"/api/tasks/{their_task.id}/assign", json={"username": "sales"})
    assert handed.status_code == 200 and handed.json["assignee"] == "sales"
    update_task(platform, their_task.id, assignee="sales2")
    assert login("admin").post(f"/worklist/{their_task.id}/unclaim").status_code == 302
    assert assignee(platform, their_task.id) is None


def test_a_lane_member_in_scope_still_cannot_take_a_colleagues_claimed_task(platform, actors, login, tmp_uploads):
    """Only the owner may take a task back: on an unowned customer's task a claim by someone else is a conflict."""
    deploy(platform)
    task = ready_task(platform, start(platform, actors["sales"], customer_id=add_customer(platform, "Open yard")))
    update_task(platform, task.id, assignee="sales2")
    sales = login("sales")
    assert sales.api("POST", f"/api/tasks/{task.id}/claim").status_code == 409
    assert sales.api("POST", f"/api/tasks/{task.id}/unclaim").status_code == 403
    assert assignee(platform, task.id) == "sales2"


@pytest.fixture
def private_task(platform, actors, tmp_uploads):
    """A salesperson-lane task about no customer, assigned to ``sales`` (like their periodic report)."""
    deploy(platform)
    task = ready_task(platform, start(platform, actors["sales"]))
    update_task(platform, task.id, assignee="sales")
    return task


def test_a_colleagues_assigned_task_about_no_customer_is_not_the_lanes(platform, login, private_task):
    sales2 = login("sales2")
    assert sales2.get(f"/api/tasks/{private_task.id}").status_code == 404
    assert sales2.get(f"/api/instances/{private_task.instance_id}").status_code == 404  # its data neither
    assert private_task.id not in sales2.get("/worklist/?list=queue").get_data(as_text=True)
    for allowed in ("sales", "admin"):
        assert login(allowed).get(f"/api/tasks/{private_task.id}").status_code == 200, allowed
    update_task(platform, private_task.id, assignee=None)  # back in the lane's queue: the lane sees it
    assert sales2.get(f"/api/tasks/{private_task.id}").status_code == 200
