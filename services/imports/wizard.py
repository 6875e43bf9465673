"""The wizard's steps as use cases: upload a file, map its columns, preview, dry run, decide duplicates, import,
follow the progress, download the outcome file, undo."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm.base import utcnow
from crm.imports.models import ImportBatch, ImportRow
from i18n import _, _l

from . import jobs, mapping, running
from .kinds import KINDS, ImportKind
from .reading import UnreadableFile, open_table

STATUS_LABELS = {"uploaded": _l("uploaded: map the columns"), "checking": _l("dry run under way"),
                 "checked": _l("checked: decide and import"), "importing": _l("importing"), "done": _l("imported"),
                 "failed": _l("failed"), "undone": _l("undone")}
"""A batch's status as the pages name it."""
REASON_LABELS = {"registry": _l("registry number"), "name": _l("name"), "phone": _l("phone"), "email": _l("e-mail"),
                 "code": _l("code")}
"""The duplicate keys as the pages name them."""
MAX_FILE_BYTES = 50 * 1024 * 1024
LISTED = 200
"""How many error rows and duplicate groups the report page lists (the outcome file has them all)."""


def file_path(upload_dir: Path, batch: ImportBatch) -> Path:
    return upload_dir / "imports" / batch.storage_key


def upload(session: Session, upload_dir: Path, stream: IO[bytes], filename: str, kind_key: str,
           username: str) -> ImportBatch:
    """Store the file, read its header and suggest a mapping (raises :class:`UnreadableFile`)."""
    kind = KINDS.get(kind_key)
    if kind is None:
        raise UnreadableFile(_("Choose what the file holds."))
    key = uuid.uuid4().hex
    target = upload_dir / "imports" / key
    target.parent.mkdir(parents=True, exist_ok=True)
    size = 0
    with target.open("wb") as out:
        while chunk := stream.read(64 * 1024):
            size += len(chunk)
            if size > MAX_FILE_BYTES:
                out.close()
                target.unlink()
                raise UnreadableFile(_("The file is larger than %(mb)s MB: split it.",
                                       mb=MAX_FILE_BYTES // (1024 * 1024)))
            out.write(chunk)
    try:
        with open_table(target) as (encoding, rows):
            headers = next(rows, None)
    except (UnreadableFile, UnicodeDecodeError) as exc:
        target.unlink()
        raise UnreadableFile(str(exc) if isinstance(exc, UnreadableFile) else
                             _("The file is not text in a known encoding.")) from None
    if not headers or not any(headers):
        target.unlink()
        raise UnreadableFile(_("The file is empty: its first line must name the columns."))
    batch = ImportBatch(kind=kind.key, filename=Path(filename or "import").name[:255], storage_key=key,
                        encoding=encoding, headers=[h[:200] for h in headers], created_by=username)
    batch.mapping = mapping.suggest(session, kind, batch.headers)
    session.add(batch)
    session.flush()
    return batch


def set_mapping(session: Session, batch: ImportBatch, chosen: Mapping[str, str], username: str) -> list[str]:
    """Keep the user's mapping (column index -> field, "" for none); returns what is wrong with it."""
    kind = KINDS[batch.kind]
    names = {f.name for f in kind.fields}
    clean = {str(i): chosen.get(str(i), "") for i in range(len(batch.headers))}
    clean = {i: name for i, name in clean.items() if name in names}
    batch.mapping = clean
    problems = mapping.problems(kind, clean)
    if not problems:
        mapping.remember(session, kind, batch.headers, clean, username)
    session.flush()
    return problems


def start_check(session: Session, upload_dir: Path, batch: ImportBatch) -> None:
    """Queue the dry run (only once the mapping is complete)."""
    if batch.status not in ("uploaded", "failed") or mapping.problems(KINDS[batch.kind], batch.mapping):
        raise ValueError(_("Complete the mapping first."))
    jobs.queue_check(session, batch, file_path(upload_dir, batch))
    session.flush()


def start_import(session: Session, batch: ImportBatch, decisions: Mapping[str, str], username: str) -> None:
    """Record the duplicate decisions and queue the import."""
    running.begin(session, batch, dict(decisions))
    jobs.queue_run(session, batch, username)


@dataclass
class Group:
    """Rows of the file that duplicate each other or an existing record."""

    key: str
    reason: str
    value: str
    match_id: int | None
    match_label: str
    numbers: list[int]


def report(session: Session, batch: ImportBatch) -> dict:
    """The dry run's findings: counts, the first error rows and duplicate groups."""
    kind = KINDS[batch.kind]
    errors = session.scalars(select(ImportRow).where(ImportRow.batch_id == batch.id, ImportRow.valid.is_(False))
                             .order_by(ImportRow.number).limit(LISTED)).all()
    grouped = session.execute(
        select(ImportRow.group_key, func.min(ImportRow.match_id), func.count())
        .where(ImportRow.batch_id == batch.id, ImportRow.group_key != "")
        .group_by(ImportRow.group_key).order_by(func.min(ImportRow.number))).all()
    groups = []
    for key, match_id, _count in grouped[:LISTED]:
        numbers = session.scalars(select(ImportRow.number).where(
            ImportRow.batch_id == batch.id, ImportRow.group_key == key).order_by(ImportRow.number).limit(20)).all()
        reason, _sep, value = key.partition(":")
        groups.append(Group(key, reason, value, match_id, _label(session, kind, match_id), list(numbers)))
    in_groups = sum(count for _key, _match, count in grouped)
    return {"errors": [(row.number, row.errors) for row in errors], "groups": groups, "group_count": len(grouped),
            "rows_in_groups": in_groups, "ready": batch.total_rows - batch.error_rows - in_groups,
            "kind": kind}


def _label(session: Session, kind: ImportKind, record_id: int | None) -> str:
    if record_id is None:
        return ""
    record = session.get(kind.model, record_id)
    return str(getattr(record, "company", None) or getattr(record, "name", None) or record_id) if record else ""


def status(batch: ImportBatch, now: dt.datetime | None = None) -> dict:
    """The small JSON the progress page polls."""
    eta = running.eta(batch, now or utcnow())
    done = batch.processed_rows if batch.status in ("importing", "done", "undone") else 0
    return {"id": batch.id, "status": batch.status, "status_label": str(STATUS_LABELS[batch.status]),
            "total": batch.total_rows, "processed": done,
            "percent": round(100 * done / batch.total_rows) if batch.total_rows else 0,
            "created": batch.created_count, "updated": batch.updated_count, "skipped": batch.skipped_count,
            "failed": batch.failed_count, "errors": batch.error_rows, "eta_seconds": round(eta) if eta else eta,
            "problem": batch.problem}


def batch_by_id(session: Session, batch_id: int) -> ImportBatch | None:
    return session.get(ImportBatch, batch_id)


def recent_batches(session: Session, limit: int = 50) -> list[ImportBatch]:
    return list(session.scalars(select(ImportBatch).order_by(ImportBatch.id.desc()).limit(limit)))
