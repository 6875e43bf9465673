"""Starting, completing, claiming; history rows; conflicts; the role check."""

from decimal import Decimal

import pytest
from sqlalchemy import select

from engine.errors import Conflict, Forbidden, NotFound
from engine.models import HumanTask, InstanceEvent
from tests.engine.helpers import complete, data, deploy, instance, ready_tasks, start


@pytest.fixture
def approval(platform):
    deploy(platform, "approval.bpmn")


def test_start_runs_to_first_user_task_and_mirrors_it(platform, actors, approval):
    instance_id = start(platform, "approval", actors["sales"], {"customer_id": 7})
    found = instance(platform, instance_id)
    assert found.status == "running"
    assert found.customer_id == 7
    [task] = ready_tasks(platform, instance_id)
    assert (task.task_name, task.lane, task.role, task.assignee) == ("request", "Salesperson", "salesperson", None)
    assert task.customer_id == 7
    assert task.due_at is not None and (task.due_at - task.created_at).days == 2


def test_complete_until_end_with_history(platform, actors, approval):
    instance_id = start(platform, "approval", actors["sales"])
    [task] = ready_tasks(platform, instance_id)
    complete(platform, task.id, actors["sales"], {"amount": Decimal("1200.50"), "reason": "visit"})
    [review] = ready_tasks(platform, instance_id)
    assert review.role == "customer_director"
    complete(platform, review.id, actors["custdir"], {"approved": True})
    found = instance(platform, instance_id)
    assert found.status == "completed" and found.completed_at is not None
    assert data(platform, instance_id)["amount"] == Decimal("1200.50")
    with platform.sessions() as session:
        events = list(session.scalars(select(InstanceEvent).where(InstanceEvent.instance_id == instance_id)
                                      .order_by(InstanceEvent.id)))
    assert [(e.kind, e.actor) for e in events] == [
        ("started", "sales"), ("task_completed", "sales"), ("task_completed", "custdir"), ("completed", "system")]
    assert '"1200.50"' in events[1].data_after and events[1].task_name == "request"


def test_lane_role_is_required(platform, actors, approval):
    instance_id = start(platform, "approval", actors["sales"])
    [task] = ready_tasks(platform, instance_id)
    with platform.sessions() as session, pytest.raises(Forbidden):
        platform.engine.complete(session, task.id, {"amount": Decimal(1)}, actors["custdir"])


def test_starting_needs_the_start_lane_role(platform, actors, approval):
    with platform.sessions() as session, pytest.raises(Forbidden):
        platform.engine.start(session, "approval", {}, actors["finance"])


def test_stale_completion_is_a_conflict_and_changes_nothing(platform, actors, approval):
    instance_id = start(platform, "approval", actors["sales"])
    [task] = ready_tasks(platform, instance_id)
    complete(platform, task.id, actors["sales"], {"amount": Decimal(5)})
    before = instance(platform, instance_id)
    with platform.sessions() as session, pytest.raises(Conflict, match="already completed by sales"):
        platform.engine.complete(session, task.id, {"amount": Decimal(9)}, actors["sales2"])
    after = instance(platform, instance_id)
    assert after.lock_version == before.lock_version and after.state == before.state


def test_claim_unclaim_and_assignment_rules(platform, actors, approval):
    instance_id = start(platform, "approval", actors["sales"])
    [task] = ready_tasks(platform, instance_id)
    with platform.sessions.begin() as session:
        platform.engine.claim(session, task.id, actors["sales2"])
    with platform.sessions() as session:
        with pytest.raises(Conflict, match="already claimed by sales2"):
            platform.engine.claim(session, task.id, actors["sales"])
        with pytest.raises(Forbidden, match="assigned to sales2"):
            platform.engine.complete(session, task.id, {"amount": Decimal(1)}, actors["sales"])
    with platform.sessions.begin() as session:
        platform.engine.unclaim(session, task.id, actors["sales2"])
    with platform.sessions.begin() as session:
        row = session.get(HumanTask, task.id)
        assert row.assignee is None


def test_unknown_process_and_task(platform, actors, approval):
    with platform.sessions() as session:
        with pytest.raises(NotFound):
            platform.engine.start(session, "nope", {}, actors["admin"])
        with pytest.raises(NotFound):
            platform.engine.complete(session, "00000000-0000-0000-0000-000000000000", {}, actors["admin"])


def test_save_restore_round_trip_keeps_everything(platform, actors, approval):
    """Like SpiffWorkflow's own tests: serialize, restore, serialize again -> identical."""
    instance_id = start(platform, "approval", actors["sales"])
    [task] = ready_tasks(platform, instance_id)
    complete(platform, task.id, actors["sales"], {"amount": Decimal("3.10")})
    found = instance(platform, instance_id)
    workflow = platform.engine.restore(found)
    assert platform.engine.serializer.dump_state(workflow) == found.state
