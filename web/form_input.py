"""Read a submitted generated form: values as validation expects them, uploaded files stored first."""

from __future__ import annotations

from flask import request
from werkzeug.datastructures import FileStorage

from engine.errors import TaskDataInvalid
from forms import FormDefinition
from services import uploads

from . import db
from .auth import actor


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
        except uploads.UploadTooLarge as exc:
            uploads.discard(upload_dir, stored)
            raise TaskDataInvalid({field.id: [str(exc)]}) from None
        raw[field.id] = record.as_value()
        stored.append(record.storage_key)
    return raw, stored


def store(upload: FileStorage):
    """Store one uploaded file for the current user (a :class:`crm.files.StoredFile`)."""
    return uploads.store(db.session(), db.platform().settings.upload_dir, upload.stream, upload.filename or "",
                         upload.mimetype or "", actor().username)


def shown_back(form: FormDefinition | None) -> list[tuple[str, str]]:
    """What the user typed, labelled, for showing it back when their submission could not be applied."""
    shown = []
    for field in form.fields if form else ():
        if field.type == "file":
            upload = request.files.get(field.id)
            if upload is not None and upload.filename:
                shown.append((field.label, f"{upload.filename} (not attached: choose the file again)"))
            continue
        values = [v for v in request.form.getlist(field.id) if v.strip()]
        if values:
            options = dict(field.options)
            shown.append((field.label, ", ".join(options.get(v, v) for v in values)))
    return shown
