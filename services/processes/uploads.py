"""File attachments of forms: bytes under ``upload_dir/<key[:2]>/<key>``, metadata in ``stored_file``.

A file field's value is ``{name, size, content_type, storage_key}``. Uploads come before the form is
submitted (API) or with it (HTML); validation then checks that each value names an upload of the user.
An upload is refused unless its content is of an accepted type (:mod:`services.processes.upload_types`; the
stored content type is the sniffed one) and the user's uploads not yet attached to a submitted form stay within
a quota; :class:`OrphanCleanup` (a periodic task of the scheduler, also ``flask crm cleanup-uploads``) deletes
uploads never attached after a while.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm.files import StoredFile
from forms import FieldDefinition, FormDefinition
from i18n import _
from services.processes import upload_types

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
"""Largest attachment accepted (the request limit in app.py is a little above it)."""
_CHUNK = 64 * 1024


class UploadRefused(Exception):
    """The file is not accepted; the message says why, fit for the user."""


class UploadTooLarge(UploadRefused):
    """The file is larger than the limit."""


def path_of(upload_dir: Path, storage_key: str) -> Path:
    return upload_dir / storage_key[:2] / storage_key


def store(
    session: Session, upload_dir: Path, stream: IO[bytes], name: str, username: str,
    max_bytes: int = MAX_UPLOAD_BYTES, quota_bytes: int | None = None,
) -> StoredFile:
    """Write ``stream`` under a new storage key and record it with its sniffed content type.

    Raises :class:`UploadRefused` (nothing kept) for a type not accepted, :class:`UploadTooLarge` past
    ``max_bytes``, and when the user's unattached uploads would exceed ``quota_bytes``."""
    head = stream.read(upload_types.SNIFF_BYTES)
    content_type = upload_types.sniffed_type(head)
    if content_type is None:
        raise UploadRefused(_("This kind of file is not accepted: attach %(kinds)s.", kinds=upload_types.DESCRIPTION))
    room = max_bytes if quota_bytes is None else min(max_bytes, quota_bytes - pending_bytes(session, username))
    key = uuid.uuid4().hex
    target = path_of(upload_dir, key)
    target.parent.mkdir(parents=True, exist_ok=True)
    size = 0
    with target.open("wb") as out:
        chunk = head
        while chunk:
            size += len(chunk)
            if size > room:
                out.close()
                target.unlink()
                raise _over(max_bytes, quota_bytes, size)
            out.write(chunk)
            chunk = stream.read(_CHUNK)
    stored = StoredFile(storage_key=key, name=_file_name(name), size=size, content_type=content_type,
                        uploaded_by=username)
    session.add(stored)
    session.flush()
    return stored


def _over(max_bytes: int, quota_bytes: int | None, size: int) -> UploadRefused:
    if size > max_bytes:
        return UploadTooLarge(_("The file is larger than %(n)s MB.", n=max_bytes // (1024 * 1024)))
    return UploadRefused(_("Your files not yet sent with a form take more than %(n)s MB: send or leave those forms "
                           "first (unsent files are removed after a while).", n=(quota_bytes or 0) // (1024 * 1024)))


def _file_name(name: str) -> str:
    """The file's own name (no path), without control characters, at most 255 characters."""
    cleaned = "".join(char for char in Path(name.replace("\\", "/")).name if char.isprintable())
    return cleaned[:255] or "upload"


def pending_bytes(session: Session, username: str) -> int:
    """The size of ``username``'s uploads not (yet) attached to a submitted form."""
    return session.scalar(select(func.coalesce(func.sum(StoredFile.size), 0)).where(
        StoredFile.uploaded_by == username, StoredFile.instance_id.is_(None))) or 0


def remove_orphans(session: Session, upload_dir: Path, uploaded_before: dt.datetime) -> int:
    """Delete uploads never attached to a submitted form and uploaded before ``uploaded_before`` (rows and bytes)."""
    keys = list(session.scalars(select(StoredFile.storage_key).where(
        StoredFile.instance_id.is_(None), StoredFile.uploaded_at < uploaded_before).limit(500)))
    for key in keys:
        session.delete(session.get(StoredFile, key))
    session.flush()
    discard(upload_dir, keys)
    return len(keys)


class OrphanCleanup:
    """Periodic task of the scheduler (``Relay(periodic=...)``): :func:`remove_orphans` older than ``max_age``,
    at most once per ``every``."""

    def __init__(self, upload_dir: Path, max_age: dt.timedelta, every: dt.timedelta = dt.timedelta(minutes=10)):
        self.upload_dir, self.max_age, self.every = upload_dir, max_age, every
        self._next: dt.datetime | None = None

    def __call__(self, session: Session, now: dt.datetime) -> int:
        if self._next is not None and now < self._next:
            return 0
        self._next = now + self.every
        return remove_orphans(session, self.upload_dir, now - self.max_age)


def discard(upload_dir: Path, storage_keys: Iterable[str]) -> None:
    """Delete the bytes of uploads whose recording was rolled back (a form that failed validation)."""
    for key in storage_keys:
        path_of(upload_dir, key).unlink(missing_ok=True)


def find(session: Session, storage_key: str) -> StoredFile | None:
    return session.get(StoredFile, storage_key) if storage_key.isalnum() else None


def attach_to_instance(session: Session, form: FormDefinition | None, values: Mapping[str, Any],
                       instance_id: int) -> None:
    """Link the uploads a submitted form names to the instance it was submitted to."""
    for _field, value in _file_values(form, values):
        stored = find(session, value["storage_key"])
        if stored is not None and stored.instance_id is None:
            stored.instance_id = instance_id


def foreign_files(session: Session, form: FormDefinition, values: Mapping[str, Any], username: str) -> dict:
    """Per-field errors for file values that do not name one of ``username``'s uploads exactly."""
    errors = {}
    for field, value in _file_values(form, values):
        stored = find(session, value["storage_key"])
        if stored is None or stored.uploaded_by != username or stored.as_value() != value:
            errors[field.id] = [_("No such upload: upload the file again.")]
    return errors


def _file_values(form: FormDefinition | None, values: Mapping[str, Any]) -> Iterator[tuple[FieldDefinition, dict]]:
    """The editable file fields of ``form`` that ``values`` fills, with their values."""
    for field in form.fields if form else ():
        value = values.get(field.id)
        if field.type == "file" and not field.readonly and value:
            yield field, value
