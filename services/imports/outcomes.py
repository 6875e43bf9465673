"""The outcome file: every row of the file as it was, with what became of it (or, before the import, what the
dry run found) and the message per refused cell — fix the cells and import the file again (the two
extra columns are left out by the mapping; rows already imported are then found as duplicates)."""

from __future__ import annotations

from collections.abc import Iterator
from io import BytesIO

from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.imports.models import ImportBatch, ImportRow
from i18n import _, _l, _lp
from services.exports import write_only_row

from .kinds import KINDS

CHUNK = 2000
OUTCOME_HEADER, MESSAGE_HEADER = _l("Import outcome"), _l("Import messages")
STATUS_LABELS = {"created": _l("created"), "updated": _l("updated"), "skipped": _l("skipped"), "failed": _l("failed"),
                 "error": _l("error"), "duplicate": _l("duplicate"), "ready": _lp("import row", "ready")}


def status_of(row: ImportRow) -> str:
    """``created``/``updated``/``skipped``/``failed`` after the import; ``error``/``duplicate``/``ready`` before."""
    if row.outcome:
        return row.outcome
    if not row.valid:
        return "error"
    return "duplicate" if row.group_key else "ready"


def message_of(kind_key: str, row: ImportRow) -> str:
    """The row's messages: each refused field with its label, or what the import did."""
    kind = KINDS[kind_key]
    if row.errors:
        return "; ".join(_("%(field)s: %(text)s", field=kind.field(name).label if kind.field(name) else name,
                           text=text) for name, text in row.errors.items())
    if row.message:
        return row.message
    if row.group_key:
        reason, _sep, key = row.group_key.partition(":")
        target = _("existing record #%(id)s", id=row.match_id) if row.match_id else _("another line of the file")
        return _("same %(key)s as %(target)s (%(value)s)", key=reason, target=target, value=key)
    return ""


def _rows(session: Session, batch_id: int) -> Iterator[ImportRow]:
    last = 0
    while True:
        rows = session.scalars(select(ImportRow).where(ImportRow.batch_id == batch_id, ImportRow.number > last)
                               .order_by(ImportRow.number).limit(CHUNK)).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].number
        for row in rows:  # keep memory flat on a large file
            session.expunge(row)


def outcome_workbook(session: Session, batch: ImportBatch) -> bytes:
    """The XLSX outcome file of ``batch`` (written row by row: openpyxl's write-only mode)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Rows")
    width = len(batch.headers)
    write_only_row(sheet, [*batch.headers, str(OUTCOME_HEADER), str(MESSAGE_HEADER)])
    kind_key, batch_id = batch.kind, batch.id
    for row in _rows(session, batch_id):
        cells = (list(row.raw) + [""] * width)[:width]
        write_only_row(sheet, [*cells, str(STATUS_LABELS[status_of(row)]), message_of(kind_key, row)])
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()
