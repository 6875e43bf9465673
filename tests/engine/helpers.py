"""Deploy the test diagrams and drive instances through the engine service."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import undefer

from engine.models import HumanTask, ProcessInstance

BPMN_DIR = Path(__file__).parent / "bpmn"


def bpmn(name: str) -> bytes:
    return (BPMN_DIR / name).read_bytes()


def deploy(platform, *names: str, user: str = "owner"):
    with platform.sessions.begin() as session:
        results = platform.engine.deploy(session, {n: bpmn(n) for n in names}, user)
        return [(r.version.process_key, r.version.version, r.created) for r in results]


def start(platform, key: str, actor, data: dict | None = None) -> int:
    with platform.sessions() as session:
        instance = platform.engine.start(session, key, data or {}, actor)
        session.commit()
        platform.relay.after_commit(session)
        return instance.id


def complete(platform, task_id: str, actor, data: dict | None = None) -> None:
    with platform.sessions() as session:
        platform.engine.complete(session, task_id, data or {}, actor)
        session.commit()
        platform.relay.after_commit(session)


def ready_tasks(platform, instance_id: int) -> list[HumanTask]:
    with platform.sessions() as session:
        return list(session.scalars(select(HumanTask).where(
            HumanTask.instance_id == instance_id, HumanTask.status == "ready")))


def instance(platform, instance_id: int) -> ProcessInstance:
    """The instance row as it is now, saved state included."""
    with platform.sessions() as session:
        return session.get(ProcessInstance, instance_id, options=[undefer(ProcessInstance.state)])


def data(platform, instance_id: int) -> dict:
    from engine.runtime import current_data

    return dict(current_data(platform.engine.restore(instance(platform, instance_id))))
