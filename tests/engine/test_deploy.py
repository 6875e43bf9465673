"""Versioned deployment: identical content is a no-op, changed content is n+1, spec stored once."""

import json

from sqlalchemy import func, select

from engine.models import ProcessVersion
from tests.engine.helpers import bpmn, deploy, instance, start


def test_identical_content_creates_nothing_new(platform):
    assert deploy(platform, "approval.bpmn") == [("approval", 1, True)]
    assert deploy(platform, "approval.bpmn") == [("approval", 1, False)]
    with platform.sessions() as session:
        assert session.scalar(select(func.count()).select_from(ProcessVersion)) == 1


def test_changed_content_creates_next_version(platform):
    deploy(platform, "approval.bpmn")
    changed = bpmn("approval.bpmn").replace(b'name="Review request"', b'name="Review the request"')
    with platform.sessions.begin() as session:
        results = platform.engine.deploy(session, {"approval.bpmn": changed}, "owner")
    assert [(r.version.version, r.created) for r in results] == [(2, True)]
    with platform.sessions() as session:
        version = session.scalar(select(ProcessVersion).where(ProcessVersion.version == 2))
        assert version.deployed_by == "owner"
        assert "Review the request" in version.source_xml
        assert json.loads(version.task_meta)["review"]["title"] == "Review the request"


def test_form_only_change_is_a_new_version(platform):
    deploy(platform, "approval.bpmn")
    changed = bpmn("approval.bpmn").replace(b'label="Reason"', b'label="Why?"')
    with platform.sessions.begin() as session:
        results = platform.engine.deploy(session, {"approval.bpmn": changed}, "owner")
    assert results[0].created and results[0].version.version == 2


def test_instance_state_does_not_embed_the_spec(platform, actors):
    deploy(platform, "approval.bpmn")
    found = instance(platform, start(platform, "approval", actors["sales"]))
    state = json.loads(found.state)
    assert "spec" not in state and "subprocess_specs" not in state
    assert len(found.state) < 4096
    with platform.sessions() as session:
        assert session.get(ProcessVersion, found.version_id).spec_json.count('"approval"') >= 1


def test_called_process_tasks_get_their_own_lane_role(platform, actors):
    """A user task inside a called process is mirrored with the role of its own lane."""
    from tests.engine.helpers import ready_tasks, start

    results = deploy(platform, "approval.bpmn", "caller.bpmn")
    assert ("caller", 1, True) in results
    with platform.sessions() as session:
        version = session.scalar(select(ProcessVersion).where(ProcessVersion.process_key == "caller"))
        assert json.loads(version.dependency_sources).keys() == {"approval.bpmn"}
    instance_id = start(platform, "caller", actors["sales"])
    [task] = ready_tasks(platform, instance_id)
    assert (task.task_name, task.role, task.due_at is not None) == ("request", "salesperson", True)
