"""What the process pages, the API and the command line ask about versions, instances and their tasks."""

from __future__ import annotations

from itertools import groupby

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.processes.drafts import ProcessDraft
from engine.models import HumanTask, ProcessInstance, ProcessVersion


def instance_by_id(session: Session, instance_id: int) -> ProcessInstance | None:
    """The process instance with this id (callers check who may see it)."""
    return session.get(ProcessInstance, instance_id)


def recent_instances(session: Session, status: str | None = None, limit: int = 50) -> list[ProcessInstance]:
    """The newest instances first, of one ``status`` if given."""
    query = select(ProcessInstance).order_by(ProcessInstance.id.desc()).limit(limit)
    if status:
        query = query.where(ProcessInstance.status == status)
    return list(session.scalars(query))


def tasks_of_instance(session: Session, instance_id: int, *, ready_only: bool = False) -> list[HumanTask]:
    """The task rows of the instance (``ready_only``: only those waiting for someone now)."""
    query = select(HumanTask).where(HumanTask.instance_id == instance_id)
    if ready_only:
        query = query.where(HumanTask.status == "ready")
    return list(session.scalars(query))


def version_by_id(session: Session, version_id: int) -> ProcessVersion | None:
    """The deployed version with this id."""
    return session.get(ProcessVersion, version_id)


def versions_by_process(session: Session) -> dict[str, list[ProcessVersion]]:
    """Every deployed version, grouped by process key, newest version first."""
    versions = session.scalars(
        select(ProcessVersion).order_by(ProcessVersion.process_key, ProcessVersion.version.desc()))
    return {key: list(group) for key, group in groupby(versions, key=lambda v: v.process_key)}


def versions_of_process(session: Session, process_key: str) -> list[ProcessVersion]:
    """The versions of one process, oldest first."""
    return list(session.scalars(
        select(ProcessVersion).where(ProcessVersion.process_key == process_key).order_by(ProcessVersion.version)))


def version_of_process(session: Session, process_key: str, number: int) -> ProcessVersion | None:
    """Version ``number`` of the process, if it was deployed."""
    return session.scalar(select(ProcessVersion).where(
        ProcessVersion.process_key == process_key, ProcessVersion.version == number))


def drafts_by_process_key(session: Session) -> dict[str, ProcessDraft]:
    """The saved modeler draft of each process that has one."""
    return {d.process_key: d for d in session.scalars(select(ProcessDraft))}
