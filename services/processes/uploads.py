"""File attachments of forms: bytes under ``upload_dir/<key[:2]>/<key>``, metadata in ``stored_file``.

A file field's value is ``{name, size, content_type, storage_key}``. Uploads come before the form is
submitted (API) or with it (HTML); validation then checks that each value names an upload of the user.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from sqlalchemy.orm import Session

from crm.files import StoredFile
from forms import FieldDefinition, FormDefinition

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
"""Largest attachment accepted (the request limit in app.py is a little above it)."""
_CHUNK = 64 * 1024


class UploadTooLarge(Exception):
    """The file is larger than the limit."""


def path_of(upload_dir: Path, storage_key: str) -> Path:
    return upload_dir / storage_key[:2] / storage_key


def store(
    session: Session, upload_dir: Path, stream: IO[bytes], name: str, content_type: str, username: str,
    max_bytes: int = MAX_UPLOAD_BYTES,
) -> StoredFile:
    """Write ``stream`` under a new storage key and record it; :class:`UploadTooLarge` past ``max_bytes``."""
    key = uuid.uuid4().hex
    target = path_of(upload_dir, key)
    target.parent.mkdir(parents=True, exist_ok=True)
    size = 0
    with target.open("wb") as out:
        while chunk := stream.read(_CHUNK):
            size += len(chunk)
            if size > max_bytes:
                out.close()
                target.unlink()
                raise UploadTooLarge(f"The file is larger than {max_bytes // (1024 * 1024)} MB.")
            out.write(chunk)
    stored = StoredFile(storage_key=key, name=(Path(name).name or "upload")[:255], size=size,
                        content_type=(content_type or "application/octet-stream")[:200], uploaded_by=username)
    session.add(stored)
    session.flush()
    return stored


def discard(upload_dir: Path, storage_keys: Iterable[str]) -> None:
    """Delete the bytes of uploads whose recording was rolled back (a form that failed validation)."""
    for key in storage_keys:
        path_of(upload_dir, key).unlink(missing_ok=True)


def find(session: Session, storage_key: str) -> StoredFile | None:
    return session.get(StoredFile, storage_key) if storage_key.isalnum() else None


def attach_to_instance(session: Session, form: FormDefinition | None, values: Mapping[str, Any],
                       instance_id: int) -> None:
    """Link the uploads a submitted form names to the instance it was submitted to."""
    for _, value in _file_values(form, values):
        stored = find(session, value["storage_key"])
        if stored is not None and stored.instance_id is None:
            stored.instance_id = instance_id


def foreign_files(session: Session, form: FormDefinition, values: Mapping[str, Any], username: str) -> dict:
    """Per-field errors for file values that do not name one of ``username``'s uploads exactly."""
    errors = {}
    for field, value in _file_values(form, values):
        stored = find(session, value["storage_key"])
        if stored is None or stored.uploaded_by != username or stored.as_value() != value:
            errors[field.id] = ["No such upload: upload the file again."]
    return errors


def _file_values(form: FormDefinition | None, values: Mapping[str, Any]) -> Iterator[tuple[FieldDefinition, dict]]:
    """The editable file fields of ``form`` that ``values`` fills, with their values."""
    for field in form.fields if form else ():
        value = values.get(field.id)
        if field.type == "file" and not field.readonly and value:
            yield field, value
