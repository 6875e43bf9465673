"""The import's background jobs (outbox job kinds, run in process on the embedded default, by rq workers in
production): ``import_check`` stages and checks the whole file (the dry run), ``import_run`` imports a few
chunks and queues itself again until every row is done."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.accounts.users import User
from crm.imports.models import ImportBatch
from engine.models import OutboxJob
from engine.outbox import enqueue
from i18n import _, force_locale

from . import running, staging
from .kinds import KINDS

log = logging.getLogger(__name__)

CHECK_KIND, RUN_KIND = "import_check", "import_run"
CHECK_DELAY = dt.timedelta(seconds=1)


def queue_check(session: Session, batch: ImportBatch, path: Path) -> None:
    """Queue the dry run of ``batch`` (its file at ``path``)."""
    batch.status, batch.problem = "checking", ""
    # due a moment after the commit, so the scheduler's tick runs it and not the request that asked for it (the
    # embedded default would otherwise check a large file inside that request)
    enqueue(session, None, CHECK_KIND, {"batch_id": batch.id, "path": str(path)}, delay=CHECK_DELAY)


def queue_run(session: Session, batch: ImportBatch, username: str) -> None:
    """Queue the next import step of ``batch``."""
    enqueue(session, None, RUN_KIND, {"batch_id": batch.id, "username": username})


def check_job(session: Session, job: OutboxJob, payload: dict) -> None:
    """Job kind ``import_check``: the dry run; a file that cannot be read marks the batch failed, and so does any
    other error once the job's last attempt meets it (earlier attempts are retried), so a batch never stays
    "checking" and the user may start the check again. The user reads the job's number, not the exception (it
    can name server paths or SQL): the exception goes to the log and to the job's ``last_error`` for admins."""
    batch = session.get(ImportBatch, payload["batch_id"], with_for_update=True)
    if batch is None or batch.status != "checking":
        return
    language = _language(session, batch.created_by)
    try:
        with session.begin_nested(), force_locale(language):
            staging.stage(session, batch, KINDS[batch.kind], Path(payload["path"]))
    except ValueError as exc:  # UnreadableFile and friends: the user's file, not a fault to retry
        batch.status, batch.problem = "failed", str(exc)[:2000]
        return
    except Exception as exc:
        if job.attempts < job.max_attempts:
            raise
        log.exception("import check of batch %s stopped on its last attempt (job %s)", batch.id, job.id)
        job.last_error = f"{exc.__class__.__name__}: {exc}"[:4000]
        with force_locale(language):
            batch.status, batch.problem = "failed", _(
                "The check stopped on an error (job %(job)s). Start it again; if it stops again, tell an "
                "administrator the job number.", job=job.id)
        return
    batch.status = "checked"


def run_job(session: Session, _job: OutboxJob, payload: dict) -> None:
    """Job kind ``import_run``: import for a few seconds, then queue the next step if rows remain."""
    batch = session.get(ImportBatch, payload["batch_id"], with_for_update=True)
    if batch is None or batch.status != "importing":
        return
    with force_locale(_language(session, batch.created_by)):
        more = running.step(session, batch, payload.get("username") or batch.created_by)
    if more:
        queue_run(session, batch, payload.get("username") or batch.created_by)


def _language(session: Session, username: str) -> str | None:
    """The importing user's language: row messages are written in it."""
    return session.scalar(select(User.language).where(User.username == username)) or None


JOB_KINDS = {CHECK_KIND: check_job, RUN_KIND: run_job}
"""Registered with the platform's job runner (app.py)."""
