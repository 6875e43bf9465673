"""Submitted generated forms: read one (values as validation expects them, files stored first), undo a refused one."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from flask import flash, request
from flask_wtf import FlaskForm
from werkzeug.datastructures import FileStorage

from engine.errors import TaskDataInvalid
from forms import FormDefinition, apply_errors
from i18n import _
from services.processes import uploads
from web import db
from web.accounts.auth import actor


def submitted(form: FormDefinition | None) -> tuple[dict, list[str]]:
    """``(raw values, storage keys written)``; a file field's value is its upload's dict.

    Raises :class:`TaskDataInvalid` (having removed what it stored) when a file is too large.
    """
    raw = {key: values if len(values) > 1 else values[0] for key, values in request.form.lists()}
    raw.pop("csrf_token", None)
    stored: list[str] = []
    upload_dir = db.platform().settings.upload_dir
    for field in form.fields if form else ():
        upload = request.files.get(field.id)
        if field.type != "file" or field.readonly or upload is None or not upload.filename:
            continue
        try:
            record = store(upload)
        except uploads.UploadRefused as exc:
            uploads.discard(upload_dir, stored)
            raise TaskDataInvalid({field.id: [str(exc)]}) from None
        raw[field.id] = record.as_value()
        stored.append(record.storage_key)
    return raw, stored


def store(upload: FileStorage):
    """Store one uploaded file for the current user (a :class:`crm.files.StoredFile`); :class:`UploadRefused`."""
    settings = db.platform().settings
    return uploads.store(db.session(), settings.upload_dir, upload.stream, upload.filename or "", actor().username,
                         quota_bytes=settings.upload_quota_mb * 1024 * 1024)


def discard_submission(stored: list[str]) -> None:
    """The submission was not applied: roll the request back and remove the files it stored."""
    db.session().rollback()
    uploads.discard(db.platform().settings.upload_dir, stored)


def refuse_invalid(wtform: FlaskForm, errors: Mapping[str, Sequence[str]], stored: list[str]) -> None:
    """The submission did not validate: discard it, mark the fields and ask the user to correct them."""
    discard_submission(stored)
    mark_invalid(wtform, errors)


def mark_invalid(wtform: FlaskForm, errors: Mapping[str, Sequence[str]]) -> None:
    """Mark the fields of a discarded submission and ask the user to correct them."""
    apply_errors(wtform, errors)
    flash(_("Please correct the marked fields."), "danger")


def shown_back(form: FormDefinition | None) -> list[tuple[str, str]]:
    """What the user typed, labelled, for showing it back when their submission could not be applied."""
    shown = []
    for field in form.fields if form else ():
        if field.type == "file":
            upload = request.files.get(field.id)
            if upload is not None and upload.filename:
                shown.append((field.label, _("%(file)s (not attached: choose the file again)", file=upload.filename)))
            continue
        values = [v for v in request.form.getlist(field.id) if v.strip()]
        if values:
            options = dict(field.options)
            shown.append((field.label, ", ".join(options.get(v, v) for v in values)))
    return shown
