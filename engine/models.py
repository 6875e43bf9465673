"""Tables owned by the engine: versions, instances, the task mirror, history and the job outbox."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, MetaData, String, Text, UniqueConstraint, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    """Naive UTC now: every timestamp the platform stores is UTC."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class EngineBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class ProcessVersion(EngineBase):
    """One deployed version of one process: its sources and parsed spec set, stored once.

    The large columns are deferred: loading a version (e.g. with every instance) reads its name and
    number, and sources or specs only when something reads them.
    """

    __tablename__ = "process_version"
    __table_args__ = (UniqueConstraint("process_key", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_key: Mapped[str] = mapped_column(String(200), index=True)
    version: Mapped[int]
    name: Mapped[str] = mapped_column(String(300))
    content_hash: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(300))
    source_xml: Mapped[str] = mapped_column(Text, deferred=True)
    dependency_sources: Mapped[str] = mapped_column(Text, default="{}", deferred=True)
    spec_json: Mapped[str] = mapped_column(Text, deferred=True)
    task_meta: Mapped[str] = mapped_column(Text, default="{}", deferred=True)
    deployed_by: Mapped[str] = mapped_column(String(100))
    deployed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    comment: Mapped[str] = mapped_column(Text, default="")


class DecisionVersion(EngineBase):
    """One deployed version of one decision table (DMN), evaluated by key outside processes
    (:func:`engine.decisions.decide`); a process keeps the copy stored with its own version."""

    __tablename__ = "decision_version"
    __table_args__ = (UniqueConstraint("decision_key", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_key: Mapped[str] = mapped_column(String(200), index=True)
    version: Mapped[int]
    name: Mapped[str] = mapped_column(String(300))
    filename: Mapped[str] = mapped_column(String(300))
    content_hash: Mapped[str] = mapped_column(String(64))
    source_xml: Mapped[str] = mapped_column(Text, deferred=True)
    deployed_by: Mapped[str] = mapped_column(String(100))
    deployed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    comment: Mapped[str] = mapped_column(Text, default="")

    @property
    def process_key(self) -> str:
        """The key deploy answers list it under, as they list a process version's (its decision key)."""
        return self.decision_key


INSTANCE_STATUSES = ("running", "waiting", "completed", "error", "suspended", "terminated")


class ProcessInstance(EngineBase):
    """A running (or finished) process; ``state`` is the spec-free serialized workflow.

    ``state`` is deferred: lists and task rows load an instance without it; the engine reads it with
    the row lock it takes anyway (:meth:`engine.runtime.ProcessEngine.lock_instance`).
    """

    __tablename__ = "process_instance"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("process_version.id"), index=True)
    process_key: Mapped[str] = mapped_column(String(200), index=True)
    title: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(20), index=True)
    waiting_on: Mapped[str] = mapped_column(String(20), default="")
    state: Mapped[str] = mapped_column(Text, deferred=True)
    lock_version: Mapped[int] = mapped_column(default=1)
    customer_id: Mapped[int | None] = mapped_column(index=True)
    started_by: Mapped[str] = mapped_column(String(100))
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    completed_at: Mapped[dt.datetime | None]
    next_timer_at: Mapped[dt.datetime | None] = mapped_column(index=True)
    error_task: Mapped[str | None] = mapped_column(String(200))
    error_message: Mapped[str | None] = mapped_column(Text)
    error_traceback: Mapped[str | None] = mapped_column(Text)

    version: Mapped[ProcessVersion] = relationship(lazy="joined", innerjoin=True)

    __mapper_args__ = {"version_id_col": lock_version}


TASK_STATUSES = ("ready", "completed", "cancelled")
QUEUED = "status = 'ready' AND assignee IS NULL"
"""The rows of lane queues; partial indexes cover only these."""


class HumanTask(EngineBase):
    """Mirror of a READY user task, so worklists never load a workflow."""

    __tablename__ = "human_task"
    __table_args__ = (
        Index("ix_human_task_queue", "status", "role", "assignee", "due_at"),
        Index("ix_human_task_mine", "assignee", "status", "due_at"),
        # the queue (open, unassigned): first page by due date, and its count without reading the table
        Index("ix_human_task_open_due", "due_at", "created_at", postgresql_where=text(QUEUED),
              sqlite_where=text(QUEUED)),
        Index("ix_human_task_open_role", "role", "customer_id", postgresql_where=text(QUEUED),
              sqlite_where=text(QUEUED)),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"), index=True)
    process_key: Mapped[str] = mapped_column(String(200))
    task_name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(300))
    lane: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str | None] = mapped_column(String(100))
    assignee: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20), default="ready")
    priority: Mapped[int] = mapped_column(default=50)
    customer_id: Mapped[int | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    due_at: Mapped[dt.datetime | None]
    follow_up_at: Mapped[dt.datetime | None]
    completed_by: Mapped[str | None] = mapped_column(String(100))
    completed_at: Mapped[dt.datetime | None]

    instance: Mapped[ProcessInstance] = relationship(lazy="joined", innerjoin=True)


class InstanceEvent(EngineBase):
    """One row of an instance's history: who did what, when, with data before and after.

    ``once_key`` names an effect that may happen only once (a timer occurrence firing, a retry
    attempt); the unique constraint makes a second delivery of the same job unable to write it again.
    """

    __tablename__ = "instance_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(40))
    task_id: Mapped[str | None] = mapped_column(String(36))
    task_name: Mapped[str | None] = mapped_column(String(200))
    message: Mapped[str] = mapped_column(Text, default="")
    data_before: Mapped[str | None] = mapped_column(Text)
    data_after: Mapped[str | None] = mapped_column(Text)
    once_key: Mapped[str | None] = mapped_column(String(200), unique=True)


JOB_STATUSES = ("pending", "queued", "running", "done", "failed")


class OutboxJob(EngineBase):
    """Work to do outside the request that asked for it, written in the same transaction.

    A relay pushes pending rows to the queue (or runs them in process) and marks them ``queued``; a
    runner claims a row (``running``) and beats ``heartbeat_at`` while it works. Every change of
    ``status`` is conditional on the status it expects, so no writer undoes another's. A running row
    whose heartbeat stopped, or a queued row the queue lost, is pushed again (at-least-once).
    """

    __tablename__ = "outbox_job"
    __table_args__ = (Index("ix_outbox_job_due", "status", "available_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30), default="advance")
    payload: Mapped[str] = mapped_column(Text, default="{}")
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    max_attempts: Mapped[int] = mapped_column(default=3)
    available_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    heartbeat_at: Mapped[dt.datetime | None]
    request_id: Mapped[str | None] = mapped_column(String(64))
