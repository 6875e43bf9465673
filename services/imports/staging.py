"""The dry run: every row of the file checked and staged (with its per-cell errors and duplicate keys), then the
duplicates found against the database and within the file and gathered into groups. Rows are read and written
in chunks, so memory stays flat."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm import fields
from crm.imports.models import ImportBatch, ImportRow

from .bulk import insert_many, update_by_id
from .kinds import ImportKind, Keys, Lookups
from .mapping import form_of
from .reading import open_table

CHUNK = 1000
PREVIEW_ROWS = 20
KEY_COLUMNS = (ImportRow.registry_key, ImportRow.name_key, ImportRow.phone_key, ImportRow.email_key)


@dataclass
class CheckedRow:
    """One data line: its cells, the field values, and the message per field that was refused."""

    number: int
    cells: list[str]
    values: dict
    errors: dict[str, str]
    keys: Keys


def checked_rows(session: Session, kind: ImportKind, rows: Iterator[list[str]], mapping: dict[str, str]
                 ) -> Iterator[CheckedRow]:
    """Check each data row after the header (blank lines are skipped; ``number`` is the line in the file)."""
    lookups = Lookups()
    for number, cells in enumerate(rows, start=2):
        if not any(cells):
            continue
        try:
            values, keys = kind.check(session, lookups, form_of(cells, mapping))
            yield CheckedRow(number, cells, values, {}, keys)
        except fields.RecordInvalid as exc:
            yield CheckedRow(number, cells, {}, exc.errors, Keys())


def preview(session: Session, kind: ImportKind, path: Path, mapping: dict[str, str],
            limit: int = PREVIEW_ROWS) -> list[CheckedRow]:
    """The first ``limit`` data rows, checked."""
    with open_table(path) as (_encoding, rows):
        next(rows, None)
        found = []
        for row in checked_rows(session, kind, rows, mapping):
            found.append(row)
            if len(found) >= limit:
                break
        return found


def stage(session: Session, batch: ImportBatch, kind: ImportKind, path: Path) -> None:
    """Check and store every row of the batch's file, then find its duplicate groups (the dry run)."""
    total = errors = 0
    chunk: list[dict] = []
    with open_table(path) as (_encoding, rows):
        next(rows, None)
        for row in checked_rows(session, kind, rows, batch.mapping):
            total += 1
            errors += bool(row.errors)
            chunk.append({"batch_id": batch.id, "number": row.number, "raw": row.cells, "values": row.values,
                          "errors": row.errors, "valid": not row.errors, "registry_key": row.keys.registry[:50],
                          "name_key": row.keys.name[:200], "phone_key": row.keys.phone[:50],
                          "email_key": row.keys.email[:200], "group_key": "", "outcome": "", "message": ""})
            if len(chunk) >= CHUNK:
                insert_many(session, ImportRow.__table__, chunk)
                chunk = []
    if chunk:
        insert_many(session, ImportRow.__table__, chunk)
    batch.total_rows, batch.error_rows = total, errors
    match_existing(session, batch, kind)
    group_within_file(session, batch, kind)


def _valid_rows(session: Session, batch_id: int) -> Iterator[Sequence]:
    last = 0
    while True:
        rows = session.execute(
            select(ImportRow.id, ImportRow.registry_key, ImportRow.name_key, ImportRow.phone_key, ImportRow.email_key)
            .where(ImportRow.batch_id == batch_id, ImportRow.valid.is_(True), ImportRow.id > last)
            .order_by(ImportRow.id).limit(CHUNK)).all()
        if not rows:
            return
        yield rows
        last = rows[-1].id


def match_existing(session: Session, batch: ImportBatch, kind: ImportKind) -> None:
    """Put each valid row that duplicates an existing record into the group of its first match."""
    for rows in _valid_rows(session, batch.id):
        hits = kind.matches(session, [Keys(r.registry_key, r.name_key, r.phone_key, r.email_key) for r in rows])
        changes = [{"id": r.id, "group_key": f"{hit[0]}:{hit[1]}"[:300], "match_id": hit[2]}
                   for r, hit in zip(rows, hits, strict=True) if hit]
        if changes:
            update_by_id(session, ImportRow, changes)


def group_within_file(session: Session, batch: ImportBatch, kind: ImportKind) -> None:
    """Rows sharing a key with another row of the file join that row's group (or start one)."""
    for reason, column in zip(kind.reasons, KEY_COLUMNS, strict=True):
        shared = session.scalars(
            select(column).where(ImportRow.batch_id == batch.id, ImportRow.valid.is_(True), column != "")
            .group_by(column).having(func.count() > 1)).all()
        for key in shared:
            rows = session.execute(
                select(ImportRow.id, ImportRow.group_key, ImportRow.match_id)
                .where(ImportRow.batch_id == batch.id, ImportRow.valid.is_(True), column == key)
                .order_by(ImportRow.number)).all()
            grouped = next((r for r in rows if r.group_key), None)
            group, match = (grouped.group_key, grouped.match_id) if grouped else (f"{reason}:{key}"[:300], None)
            loose = [{"id": r.id, "group_key": group, "match_id": match} for r in rows if not r.group_key]
            if loose:
                update_by_id(session, ImportRow, loose)
