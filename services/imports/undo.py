"""Undoing an import: the records it created are removed and those it updated get their replaced values back —
as long as nothing else uses a created record yet (a process about it, or another record pointing to it)."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from crm.base import CrmBase, utcnow
from crm.imports.models import ImportBatch, ImportRow
from i18n import _

from .kinds import KINDS

CHUNK = 1000
OWN_TRAILS = frozenset(("customer_event", "quality_finding"))
"""Tables whose rows about a created record the import wrote itself (removed with it)."""


def _ids(session: Session, batch: ImportBatch, outcome: str) -> Iterator[list[int]]:
    last = 0
    while True:
        rows = session.execute(select(ImportRow.id, ImportRow.record_id).where(
            ImportRow.batch_id == batch.id, ImportRow.outcome == outcome, ImportRow.id > last)
            .order_by(ImportRow.id).limit(CHUNK)).all()
        if not rows:
            return
        yield [r.record_id for r in rows if r.record_id is not None]
        last = rows[-1].id


def blockers(session: Session, batch: ImportBatch) -> list[str]:
    """Why the batch cannot be undone (empty: it can)."""
    if batch.status != "done":
        return [_("only a finished import can be undone")]
    kind = KINDS[batch.kind]
    table = kind.model.__table__
    skipped = OWN_TRAILS | set(kind.own_tables)
    references = [(t, fk.parent) for t in CrmBase.metadata.sorted_tables if t.name not in skipped
                  for fk in t.foreign_keys if fk.column.table is table]
    found: set[str] = set()
    for ids in _ids(session, batch, "created"):
        if kind.in_use is not None and (why := kind.in_use(session, ids)):
            found.add(why)
        for other, column in references:
            if session.scalar(select(exists().where(column.in_(ids)))):
                found.add(_("imported records are used by %(table)s records", table=other.name.replace("_", " ")))
    return sorted(found)


def undo(session: Session, batch: ImportBatch, username: str) -> None:
    """Remove what the batch created and restore what it updated (raises ValueError when it cannot)."""
    problems = blockers(session, batch)
    if problems:
        raise ValueError(_("This import cannot be undone: %(reasons)s", reasons="; ".join(problems)))
    kind = KINDS[batch.kind]
    for ids in _ids(session, batch, "created"):
        kind.remove(session, ids)
    last = None
    while True:  # newest update first, so a record updated by several rows gets its original values back
        query = select(ImportRow).where(ImportRow.batch_id == batch.id, ImportRow.outcome == "updated")
        if last is not None:
            query = query.where(ImportRow.id < last)
        rows = session.scalars(query.order_by(ImportRow.id.desc()).limit(CHUNK)).all()
        if not rows:
            break
        for row in rows:
            kind.restore(session, row.record_id, row.before or {}, username)
        last = rows[-1].id
    batch.status, batch.undone_at, batch.undone_by = "undone", utcnow(), username
    session.flush()
