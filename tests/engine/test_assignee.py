"""``camunda:assignee`` on a user task: the named user gets the task; anyone unsuitable leaves it in the queue."""

import pytest
from sqlalchemy import select

from crm.accounts.users import User
from engine.errors import Forbidden
from engine.models import InstanceEvent
from tests.engine.helpers import bpmn, complete, ready_tasks, start


def deploy_review_assigned_to(platform, assignee: str) -> None:
    """The approval diagram with its review step assigned by ``camunda:assignee``."""
    xml = bpmn("approval.bpmn").decode().replace(
        '<bpmn:userTask id="review" name="Review request">',
        f'<bpmn:userTask id="review" name="Review request" camunda:assignee="{assignee}">')
    with platform.sessions.begin() as session:
        platform.engine.deploy(session, {"approval.bpmn": xml.encode()}, "owner")


def review_after_request(platform, actors, **data):
    instance_id = start(platform, "approval", actors["sales"])
    [request] = ready_tasks(platform, instance_id)
    complete(platform, request.id, actors["sales"], {"amount": 5, "reason": "x", **data})
    [review] = ready_tasks(platform, instance_id)
    return instance_id, review


def assignment_notes(platform, instance_id: int) -> list[str]:
    with platform.sessions() as session:
        return list(session.scalars(select(InstanceEvent.message).where(
            InstanceEvent.instance_id == instance_id, InstanceEvent.kind == "assignment")))


def user_id(platform, username: str) -> int:
    with platform.sessions() as session:
        return session.scalar(select(User.id).where(User.username == username))


@pytest.mark.parametrize("value", ["custdir", "user id"])
def test_expression_names_the_assignee_by_username_or_user_id(platform, actors, login, value):
    deploy_review_assigned_to(platform, "${reviewer}")
    reviewer = "custdir" if value == "custdir" else user_id(platform, "custdir")
    instance_id, review = review_after_request(platform, actors, reviewer=reviewer)
    assert review.assignee == "custdir" and assignment_notes(platform, instance_id) == []
    listed = login("custdir").get("/api/tasks").get_json()
    assert review.id in {t["id"] for t in listed["mine"]}
    assert review.id not in {t["id"] for t in listed["queue"]}


def test_a_literal_username_assigns_and_others_of_the_lane_cannot_complete(platform, actors):
    deploy_review_assigned_to(platform, "custdir")
    instance_id, review = review_after_request(platform, actors)
    assert review.assignee == "custdir"
    others = [a for a in actors.values() if "customer_director" in a.roles and a.username != "custdir"]
    for other in others:
        with platform.sessions() as session, pytest.raises(Forbidden):
            platform.engine.complete(session, review.id, {"approved": True}, other)
    complete(platform, review.id, actors["custdir"], {"approved": True})
    assert ready_tasks(platform, instance_id) == []


@pytest.mark.parametrize(("assignee", "data", "note"), [
    ("${reviewer}", {"reviewer": "sales"}, "is not an active user of the Customer director's role"),
    ("${reviewer}", {"reviewer": "nobody"}, "is not an active user"),
    ("${missing_variable}", {}, "Error evaluating expression 'missing_variable'"),
])
def test_an_unsuitable_assignee_leaves_the_task_in_the_queue_with_a_note(platform, actors, assignee, data, note):
    deploy_review_assigned_to(platform, assignee)
    instance_id, review = review_after_request(platform, actors, **data)
    assert review.assignee is None and review.status == "ready"
    [message] = assignment_notes(platform, instance_id)
    assert note in message and "waits in the lane's queue" in message
    complete(platform, review.id, actors["custdir"], {"approved": False})
    assert ready_tasks(platform, instance_id) == []
