"""Process drafts: BPMN/DMN being edited in the modeler, kept apart from the deployed versions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, Session, mapped_column

from crm.base import CrmBase, utcnow


class ProcessDraft(CrmBase):
    """The working copy of one process: its files (name -> XML) and the version it started from."""

    __tablename__ = "process_draft"

    process_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    files: Mapped[dict[str, str]] = mapped_column(JSON)
    base_version: Mapped[int | None]
    saved_by: Mapped[str] = mapped_column(String(100))
    saved_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    revision: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": revision}


def get_draft(session: Session, process_key: str) -> ProcessDraft | None:
    """The saved draft of a process, if any."""
    return session.get(ProcessDraft, process_key)


class DraftChanged(Exception):
    """Someone else saved the draft after the caller loaded it."""


def save_draft(
    session: Session, process_key: str, files: dict[str, str], base_version: int | None, user: str,
    loaded_revision: int | None = None,
) -> ProcessDraft:
    """Create or replace the draft of a process (one shared working copy per process).

    ``loaded_revision`` is the revision the editor started from (None: no draft existed); a different
    revision in the database means another owner saved in between, and :class:`DraftChanged` is raised.
    """
    draft = session.get(ProcessDraft, process_key)
    current = draft.revision if draft is not None else None
    if current != loaded_revision:
        raise DraftChanged(f"{draft.saved_by if draft else 'someone'} changed the draft since you opened it")
    if draft is None:
        draft = ProcessDraft(process_key=process_key)
        session.add(draft)
    draft.files, draft.base_version, draft.saved_by, draft.saved_at = dict(files), base_version, user, utcnow()
    session.flush()
    return draft


def discard_draft(session: Session, process_key: str) -> bool:
    """Delete a process's draft; False when there was none."""
    draft = session.get(ProcessDraft, process_key)
    if draft is None:
        return False
    session.delete(draft)
    session.flush()
    return True
