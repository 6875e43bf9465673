"""An import batch, one staged row per line of the file, and remembered column mappings.

A batch moves ``uploaded → checking → checked → importing → done`` (or ``failed``), and ``done → undone``.
Each :class:`ImportRow` keeps the raw cells (for the outcome file), the checked values, the per-cell errors, the
duplicate keys, and after the import what happened to it and to which record (the undo log: ``before`` holds
the values an update replaced).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from crm.base import CrmBase, utcnow

BATCH_STATUSES = ("uploaded", "checking", "checked", "importing", "done", "failed", "undone")
DECISIONS = ("skip", "update", "create")
"""What to do with the rows of a duplicate group: skip them, update the existing record, create anyway."""
OUTCOMES = ("created", "updated", "skipped", "failed")


class ImportBatch(CrmBase):
    """One uploaded file and everything done with it."""

    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    filename: Mapped[str] = mapped_column(String(255))
    storage_key: Mapped[str] = mapped_column(String(100))
    encoding: Mapped[str] = mapped_column(String(30), default="")
    headers: Mapped[list] = mapped_column(JSON, default=list)
    mapping: Mapped[dict] = mapped_column(JSON, default=dict)
    """Column index (as text) -> field name."""
    decisions: Mapped[dict] = mapped_column(JSON, default=dict)
    """Duplicate group key -> skip | update | create."""
    status: Mapped[str] = mapped_column(String(20), default="uploaded", index=True)
    total_rows: Mapped[int] = mapped_column(default=0)
    error_rows: Mapped[int] = mapped_column(default=0)
    processed_rows: Mapped[int] = mapped_column(default=0)
    created_count: Mapped[int] = mapped_column(default=0)
    updated_count: Mapped[int] = mapped_column(default=0)
    skipped_count: Mapped[int] = mapped_column(default=0)
    failed_count: Mapped[int] = mapped_column(default=0)
    problem: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    started_at: Mapped[dt.datetime | None]
    finished_at: Mapped[dt.datetime | None]
    undone_at: Mapped[dt.datetime | None]
    undone_by: Mapped[str] = mapped_column(String(100), default="")


class ImportRow(CrmBase):
    """One data line of the file (``number`` counts from 2: line 1 is the header)."""

    __tablename__ = "import_row"
    __table_args__ = (
        Index("ix_import_row_batch_number", "batch_id", "number", unique=True),
        Index("ix_import_row_batch_group", "batch_id", "group_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id", ondelete="CASCADE"))
    number: Mapped[int]
    raw: Mapped[list] = mapped_column(JSON, default=list)
    values: Mapped[dict] = mapped_column(JSON, default=dict)
    errors: Mapped[dict] = mapped_column(JSON, default=dict)
    valid: Mapped[bool] = mapped_column(default=True)
    registry_key: Mapped[str] = mapped_column(String(50), default="")
    name_key: Mapped[str] = mapped_column(String(200), default="")
    phone_key: Mapped[str] = mapped_column(String(50), default="")
    email_key: Mapped[str] = mapped_column(String(200), default="")
    group_key: Mapped[str] = mapped_column(String(300), default="")
    """The duplicate group the row belongs to ("" when none), e.g. ``name:上海船舶重工``."""
    match_id: Mapped[int | None]
    """The existing record the row duplicates (None: only duplicates rows of the file)."""
    outcome: Mapped[str] = mapped_column(String(20), default="")
    message: Mapped[str] = mapped_column(Text, default="")
    record_id: Mapped[int | None]
    before: Mapped[dict | None] = mapped_column(JSON)


class ImportColumnChoice(CrmBase):
    """A header a user mapped to a field once: suggested for the same header of the next file of that kind."""

    __tablename__ = "import_column_choice"
    __table_args__ = (UniqueConstraint("kind", "header"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    header: Mapped[str] = mapped_column(String(200))
    field: Mapped[str] = mapped_column(String(50))
    """The field name, or "" for a column deliberately left out."""
    chosen_by: Mapped[str] = mapped_column(String(100), default="")
    chosen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
