"""Moving running instances to a newer version: preview, refusals, migration, history and audit."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import undefer

from crm.audit import AuditLog
from engine import migration
from engine.models import InstanceEvent, ProcessInstance, ProcessVersion
from tests.engine.helpers import complete, start
from tests.processes.helpers import KEY, chain, deploy, ready, with_request_field, with_salesdir_step, without_review

TIMER = (Path(__file__).resolve().parents[1] / "engine" / "bpmn" / "timer.bpmn").read_text()


def instance(platform, instance_id: int) -> ProcessInstance:
    with platform.sessions() as session:
        return session.get(ProcessInstance, instance_id, options=[undefer(ProcessInstance.state)])


def target(platform, key: str = KEY) -> ProcessVersion:
    with platform.sessions() as session:
        return session.scalars(select(ProcessVersion).where(ProcessVersion.process_key == key)
                               .order_by(ProcessVersion.version.desc()).options(undefer("*"))).first()


@pytest.fixture
def two_instances(platform, actors):
    """``waiting``: still at the request; ``reviewing``: request done, at the review (both on v1)."""
    deploy(platform, chain())
    waiting = start(platform, KEY, actors["sales"])
    reviewing = start(platform, KEY, actors["sales"])
    complete(platform, ready(platform, reviewing)[0].id, actors["sales"], {"amount": "50"})
    return waiting, reviewing


def test_preview_tells_which_instances_can_move_and_why_not(platform, two_instances):
    waiting, reviewing = two_instances
    deploy(platform, with_request_field(with_salesdir_step(chain())))
    with platform.sessions() as session:
        checks = {c.instance_id: c for c in migration.preview(platform.engine, session, target(platform))}
    assert checks[waiting].can_migrate and checks[waiting].from_version == 1
    assert checks[reviewing].reasons == ["“Request discount” was changed but is already completed"]


def test_removed_task_that_is_waiting_for_someone_blocks(platform, two_instances):
    waiting, reviewing = two_instances
    deploy(platform, without_review(chain()))
    with platform.sessions() as session:
        checks = {c.instance_id: c for c in migration.preview(platform.engine, session, target(platform))}
    assert checks[waiting].can_migrate
    assert checks[reviewing].reasons == ["“Request discount” was changed but is already completed",
                                         "“Customer director review” was removed but is ready"]


def test_migrate_moves_the_instance_and_its_worklist(platform, two_instances, login, actors):
    waiting, reviewing = two_instances
    deploy(platform, with_request_field(with_salesdir_step(chain())))
    task_before = ready(platform, waiting)[0].id
    owner = login("owner")
    page = owner.get(f"/processes/{KEY}/migrate").get_data(as_text=True)
    assert f'data-instance="{waiting}"' in page and "can move to v2" in page and "stays:" in page

    response = owner.post(f"/processes/{KEY}/migrate",
                          {"to": "2", "instance": [str(waiting), str(reviewing)], "reason": "new approval rule"})
    assert response.status_code == 302
    assert instance(platform, waiting).version.version == 2
    assert instance(platform, reviewing).version.version == 1  # refused: left exactly as it was
    assert [t.id for t in ready(platform, waiting)] == [task_before]  # same worklist entry, now v2
    with platform.sessions() as session:
        events = session.scalars(select(InstanceEvent).where(InstanceEvent.kind == "migrated")).all()
        assert [(e.instance_id, e.actor, e.message) for e in events] == [(waiting, "owner", "moved from v1 to v2")]
        [entry] = session.scalars(select(AuditLog)).all()
        assert (entry.action, entry.target, entry.detail, entry.reason) == (
            "process.migrate", f"instance:{waiting}", {"process": KEY, "from_version": 1, "to_version": 2},
            "new approval rule")

    complete(platform, task_before, actors["sales"], {"amount": "70", "customer": "ACME"})
    complete(platform, ready(platform, waiting)[0].id, actors["custdir"], {"approved": True})
    [step] = ready(platform, waiting)
    assert step.task_name == "salesdir_approval"  # the migrated instance follows the new chain
    complete(platform, ready(platform, reviewing)[0].id, actors["custdir"], {"approved": True})
    assert ready(platform, reviewing) == [] and instance(platform, reviewing).status == "completed"


def test_only_owners_and_admins_migrate(platform, two_instances, login):
    waiting, _ = two_instances
    deploy(platform, with_salesdir_step(chain()))
    assert login("sales").post(f"/processes/{KEY}/migrate", {"instance": [str(waiting)]}).status_code == 403
    assert instance(platform, waiting).version.version == 1


def test_waiting_timers_keep_their_due_time(platform, actors, settle_jobs):
    with platform.sessions.begin() as session:
        platform.engine.deploy(session, {"timer.bpmn": TIMER.encode()}, "owner")
    instance_id = start(platform, "timer", actors["sales"], {"wait_for": "PT0S"})
    settle_jobs()
    due = instance(platform, instance_id).next_timer_at  # the 3-day deadline on "work"
    assert due is not None and [t.task_name for t in ready(platform, instance_id)] == ["work"]
    changed = TIMER.replace('<camunda:formField id="done" label="Done" type="boolean"/>',
                            '<camunda:formField id="done" label="Done" type="boolean"/>'
                            '<camunda:formField id="note" label="Note" type="string"/>')
    with platform.sessions.begin() as session:
        platform.engine.deploy(session, {"timer.bpmn": changed.encode()}, "owner")
    with platform.sessions() as session:
        migration.migrate(platform.engine, session, instance_id, target(platform, "timer"), actors["owner"])
        session.commit()
    moved = instance(platform, instance_id)
    assert moved.version.version == 2 and moved.next_timer_at == due
