"""The import itself, a chunk of rows per step: each staged row is created, used to update the record it
duplicates, skipped, or failed, as its duplicate group's decision says; the outcome and the record it touched
are written on the row (the undo log). Steps run as background jobs; each commits its chunk, so the progress is
visible and a job that is delivered again continues where the last one stopped."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Row, func, select, update
from sqlalchemy.orm import Session

from crm.base import utcnow
from crm.bounds import ValueOutOfBounds
from crm.fields import RecordInvalid
from crm.imports.models import DECISIONS, ImportBatch, ImportRow
from i18n import _

from .bulk import update_by_id
from .kinds import KINDS, ImportKind

EVERY_GROUP = "*"
"""Decision key of the groups not decided one by one (those beyond the page's list)."""
RUN_CHUNK = 2000
STEP_SECONDS = 5.0
"""A job goes on with the next chunk in the same transaction until this much time has passed."""


@dataclass
class Plan:
    """What one row is to become."""

    row: Row
    action: str  # create | update | skip | fail
    target: int | None = None
    message: str = ""


def begin(session: Session, batch: ImportBatch, decisions: dict[str, str]) -> None:
    """Record the duplicate decisions and mark the batch as importing (the caller queues the first step)."""
    if batch.status != "checked":
        raise ValueError(_("Only a checked file can be imported."))
    batch.decisions = {key: value for key, value in decisions.items() if value in DECISIONS}
    batch.status, batch.started_at = "importing", utcnow()
    session.flush()


def step(session: Session, batch: ImportBatch, username: str, seconds: float = STEP_SECONDS) -> bool:
    """Import chunks for about ``seconds``; True while rows remain (another step is needed)."""
    kind = KINDS[batch.kind]
    began = time.monotonic()
    while True:
        rows = session.execute(
            select(ImportRow.id, ImportRow.number, ImportRow.values, ImportRow.errors, ImportRow.valid,
                   ImportRow.group_key, ImportRow.match_id)
            .where(ImportRow.batch_id == batch.id, ImportRow.outcome == "")
            .order_by(ImportRow.number).limit(RUN_CHUNK)).all()
        if not rows:
            batch.status, batch.finished_at = "done", utcnow()
            session.flush()
            return False
        _apply(session, batch, kind, rows, username)
        if time.monotonic() - began >= seconds:
            return True


def _firsts(session: Session, batch: ImportBatch, groups: set[str]) -> dict[str, tuple[int, int | None]]:
    """Per group: the number of its first row and the record that row created (if already imported)."""
    if not groups:
        return {}
    first = (select(ImportRow.group_key, func.min(ImportRow.number).label("number"))
             .where(ImportRow.batch_id == batch.id, ImportRow.valid.is_(True), ImportRow.group_key.in_(groups))
             .group_by(ImportRow.group_key).subquery())
    rows = session.execute(select(first.c.group_key, first.c.number, ImportRow.record_id)
                           .join(ImportRow, (ImportRow.batch_id == batch.id) & (ImportRow.number == first.c.number)))
    return {r.group_key: (r.number, r.record_id) for r in rows}


def _plan(batch: ImportBatch, kind: ImportKind, rows: Sequence[Row],
          firsts: dict[str, tuple[int, int | None]]) -> list[Plan]:
    plans = []
    for row in rows:
        if not row.valid:
            plans.append(Plan(row, "fail", message="; ".join(f"{k}: {v}" for k, v in row.errors.items())))
            continue
        if not row.group_key:
            plans.append(Plan(row, "create"))
            continue
        decision = batch.decisions.get(row.group_key, batch.decisions.get(EVERY_GROUP, "skip"))
        first_number, first_record = firsts.get(row.group_key, (row.number, None))
        if row.match_id is not None:
            what = _("existing record #%(id)s", id=row.match_id)
            if decision == "update":
                plans.append(Plan(row, "update", row.match_id, _("updated %(what)s", what=what)))
            elif decision == "create" and kind.unique_key:
                plans.append(Plan(row, "fail", message=_("%(what)s has the same %(key)s", what=what,
                                                     key=row.group_key.split(":")[0])))
            elif decision == "create":
                plans.append(Plan(row, "create", message=_("created although it duplicates %(what)s", what=what)))
            else:
                plans.append(Plan(row, "skip", message=_("skipped: duplicates %(what)s", what=what)))
        elif row.number == first_number:
            plans.append(Plan(row, "create"))
        elif decision == "update":
            plans.append(Plan(row, "update", first_record, _("updated the record of line %(n)s", n=first_number)))
        elif decision == "create" and kind.unique_key:
            plans.append(Plan(row, "fail", message=_("line %(n)s has the same %(key)s", n=first_number,
                                                 key=row.group_key.split(":")[0])))
        elif decision == "create":
            plans.append(Plan(row, "create", message=_("created although it duplicates line %(n)s", n=first_number)))
        else:
            plans.append(Plan(row, "skip", message=_("skipped: duplicates line %(n)s", n=first_number)))
    return plans


def _apply(session: Session, batch: ImportBatch, kind: ImportKind, rows: Sequence[Row], username: str) -> None:
    firsts = _firsts(session, batch, {r.group_key for r in rows if r.group_key})
    plans = _plan(batch, kind, rows, firsts)
    changes: list[dict] = []
    creates = [p for p in plans if p.action == "create"]
    summary = f"imported from {batch.filename} (import #{batch.id})"
    ids = kind.create_many(session, [p.row.values for p in creates], username, summary)
    created_by_number = {}
    for plan, record_id in zip(creates, ids, strict=True):
        created_by_number[plan.row.number] = record_id
        changes.append({"id": plan.row.id, "outcome": "created", "record_id": record_id, "message": plan.message,
                        "before": None})
    for plan in plans:
        if plan.action == "update":
            target = plan.target
            if target is None:  # the group's first row was created in this chunk
                target = created_by_number.get(firsts[plan.row.group_key][0])
            changes.append(_update(session, kind, plan, target, username))
        elif plan.action in ("skip", "fail"):
            changes.append({"id": plan.row.id, "outcome": "skipped" if plan.action == "skip" else "failed",
                            "record_id": None, "message": plan.message, "before": None})
    update_by_id(session, ImportRow, changes)
    counts = {outcome: sum(1 for c in changes if c["outcome"] == outcome)
              for outcome in ("created", "updated", "skipped", "failed")}
    session.execute(update(ImportBatch).where(ImportBatch.id == batch.id).values(
        processed_rows=ImportBatch.processed_rows + len(rows),
        created_count=ImportBatch.created_count + counts["created"],
        updated_count=ImportBatch.updated_count + counts["updated"],
        skipped_count=ImportBatch.skipped_count + counts["skipped"],
        failed_count=ImportBatch.failed_count + counts["failed"]))
    session.refresh(batch)


def _update(session: Session, kind: ImportKind, plan: Plan, target: int | None, username: str) -> dict:
    if target is None:
        return {"id": plan.row.id, "outcome": "failed", "record_id": None, "before": None,
                "message": _("the record to update was not imported")}
    try:
        with session.begin_nested():
            before = kind.update_one(session, target, plan.row.values, username)
    except (RecordInvalid, ValueOutOfBounds, ValueError) as exc:
        return {"id": plan.row.id, "outcome": "failed", "record_id": None, "before": None,
                "message": str(exc)[:2000]}
    return {"id": plan.row.id, "outcome": "updated", "record_id": target, "before": before or {},
            "message": plan.message}


def eta(batch: ImportBatch, now: dt.datetime) -> float | None:
    """Seconds until the import is likely done, from its pace so far (None before a first chunk)."""
    if batch.status != "importing" or not batch.started_at or not batch.processed_rows:
        return None
    spent = (now - batch.started_at).total_seconds()
    return max(0.0, spent / batch.processed_rows * (batch.total_rows - batch.processed_rows))
