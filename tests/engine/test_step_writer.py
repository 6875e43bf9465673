"""The step writer: a step's rows land together, a stale lock version is reported, statements stay few."""

from sqlalchemy import select

from engine.models import HumanTask, InstanceEvent, ProcessInstance, utcnow
from engine.step_writer import NewRows, SetValues, write_together
from tests.engine.helpers import deploy, ready_tasks, start
from tests.support.statements import statements


def _events(session, instance_id: int) -> list[str]:
    return list(session.scalars(select(InstanceEvent.kind).where(InstanceEvent.instance_id == instance_id)
                                .order_by(InstanceEvent.id)))


def test_writes_land_together_and_the_last_count_is_returned(platform, actors):
    deploy(platform, "approval.bpmn")
    instance_id = start(platform, "approval", actors["sales"])
    [task] = ready_tasks(platform, instance_id)
    with platform.sessions() as session:
        lock = session.get(ProcessInstance, instance_id).lock_version
        rows = [{"instance_id": instance_id, "at": utcnow(), "actor": "test", "kind": kind, "message": ""}
                for kind in ("one", "two")]
        count = write_together(session, [
            NewRows(InstanceEvent.__table__, rows),
            SetValues(HumanTask.__table__, {"assignee": "sales"}, {"id": [task.id], "status": "ready"}),
        ], SetValues(ProcessInstance.__table__, {"lock_version": lock + 1, "title": "written"},
                     {"id": instance_id, "lock_version": lock})).count
        session.commit()
    assert count == 1
    with platform.sessions() as session:
        assert _events(session, instance_id)[-2:] == ["one", "two"]
        assert session.get(HumanTask, task.id).assignee == "sales"
        assert session.get(ProcessInstance, instance_id).title == "written"


def test_a_stale_lock_version_counts_zero(platform, actors):
    deploy(platform, "approval.bpmn")
    instance_id = start(platform, "approval", actors["sales"])
    with platform.sessions() as session:
        lock = session.get(ProcessInstance, instance_id).lock_version
        count = write_together(session, [], SetValues(ProcessInstance.__table__, {"title": "lost"},
                                                      {"id": instance_id, "lock_version": lock - 1})).count
    assert count == 0


def test_a_completion_reads_once_and_writes_the_step_in_one_statement(platform, actors):
    """Locked read of task + instance, the step's writes; then the new task's notifications (not counted)."""
    deploy(platform, "approval.bpmn")
    instance_id = start(platform, "approval", actors["sales"])
    [task] = ready_tasks(platform, instance_id)
    with statements(platform) as seen, platform.sessions() as session:
        platform.engine.complete(session, task.id, {"amount": 10, "reason": "x"}, actors["sales"])
        session.commit()
    engine_writes = [s for s in seen if not s.lstrip().upper().startswith(("SELECT", "BEGIN"))
                     and "INTO notification" not in s]
    pg = platform.db.dialect.name == "postgresql"
    if pg:
        assert len(engine_writes) == 1 and engine_writes[0].lstrip().startswith("WITH")
    else:  # one statement per write: new task, completed task, history, instance
        assert len(engine_writes) == 4
    engine_reads = [s for s in seen if s.lstrip().upper().startswith("SELECT")
                    and ("FROM process_instance" in s or "FROM human_task" in s)]
    assert len(engine_reads) == 1
    assert ("FOR UPDATE" in engine_reads[0]) == pg  # SQLite: BEGIN IMMEDIATE locks the database instead
    with platform.sessions() as session:
        assert _events(session, instance_id) == ["started", "task_completed"]
        assert session.get(HumanTask, task.id).status == "completed"


def test_a_start_writes_its_instance_task_and_history_in_one_statement(platform, actors):
    """PostgreSQL: the new instance's row comes with the step's write, its task and history rows take its id there."""
    deploy(platform, "approval.bpmn")
    with statements(platform) as seen:
        instance_id = start(platform, "approval", actors["sales"])
    writes = [s for s in seen if not s.lstrip().upper().startswith(("SELECT", "BEGIN"))
              and "INTO notification" not in s]
    if platform.db.dialect.name == "postgresql":
        assert len(writes) == 1 and writes[0].lstrip().startswith("WITH")
        assert "INSERT INTO process_instance" in writes[0] and "INSERT INTO human_task" in writes[0]
    else:  # the instance, its task, its history, the instance's state
        assert len(writes) == 4 and writes[0].startswith("INSERT INTO process_instance")
    [task] = ready_tasks(platform, instance_id)
    with platform.sessions() as session:
        assert _events(session, instance_id) == ["started"]
        instance = session.get(ProcessInstance, instance_id)
        assert (instance.status, instance.lock_version, instance.started_by) == ("running", 2, "sales")
        assert task.instance_id == instance_id and task.task_name
