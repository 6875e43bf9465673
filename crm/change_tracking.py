"""A change of a record is a change of the record it belongs to: a payment or a plan line changes its payment plan,
an item or an order its service request. Every flush bumps ``version`` (the API's ETag) and ``updated_at`` (the
API's ``updated_since``) of each changed :class:`ChangeTracked` record and of the records above it, whichever code
made the change (a page, a process step, the API, an import).

The version is raised in SQL (``version = version + 1``), so two transactions changing lines of one plan at the
same time both count, and neither fails; a writer that must not overwrite a newer version locks the row and
compares first (:func:`crm.customers.records` does the same for customers).
"""

from __future__ import annotations

from typing import Any, ClassVar
from weakref import WeakSet

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, sessionmaker

from crm.base import utcnow

CREATED = "crm_created_records"
"""``session.info`` key: the records inserted in the open transaction (their first version is 1, whatever the
transaction does to them after the insert)."""


class ChangeTracked:
    """Mixin of a record whose changes are tracked: it has ``updated_at`` (and ``version``, if versioned), and
    ``change_parent`` names the relationship to the record whose change it also is."""

    change_parent: ClassVar[str | None] = None


class StaleVersion(Exception):
    """The record is no longer at the version the writer read (someone saved in between)."""

    def __init__(self, version: int):
        super().__init__(version)
        self.version = version


def lock_version(session: Session, record, version: int) -> None:
    """Re-read ``record`` under a write lock (PostgreSQL; SQLite writers queue anyway) and raise
    :class:`StaleVersion` unless it is still at ``version``: the change about to be made replaces what was read."""
    session.get(type(record), record.id, with_for_update=True, populate_existing=True)
    if record.version != version:
        raise StaleVersion(record.version)


def install_change_tracking(sessions: sessionmaker) -> None:
    """Bump versions and change times at every flush of ``sessions``' sessions."""
    event.listen(sessions, "before_flush", _track)
    event.listen(sessions, "after_commit", _forget_new)
    event.listen(sessions, "after_rollback", _forget_new)


def _forget_new(session: Session) -> None:
    session.info.pop(CREATED, None)


def _track(session: Session, _context: Any, _instances: Any) -> None:
    now, bumped = utcnow(), set()
    created = session.info.setdefault(CREATED, WeakSet())
    with session.no_autoflush:
        for obj in (*session.new, *session.dirty, *session.deleted):
            if not isinstance(obj, ChangeTracked):
                continue
            if obj in session.dirty and not session.is_modified(obj):
                continue
            record = obj if obj in session.dirty else _parent(obj)
            while record is not None:
                if record not in created:
                    _bump(record, now, bumped)
                record = _parent(record)
        created.update(obj for obj in session.new if isinstance(obj, ChangeTracked))


def _parent(record: ChangeTracked) -> ChangeTracked | None:
    return getattr(record, record.change_parent) if record.change_parent else None


def _bump(record: ChangeTracked, now, bumped: set[int]) -> None:
    """A persistent record's new change time and version (once per flush; a new record has its defaults)."""
    state = inspect(record)
    if not state.persistent or id(record) in bumped:
        return
    bumped.add(id(record))
    record.updated_at = now
    if "version" in state.mapper.column_attrs:
        record.version = type(record).version + 1
