"""Uploads (issue 11, item 15): the type is decided by the content, a user's unsent uploads have a quota, and
uploads never attached to a submitted form are deleted (CLI command and the scheduler's periodic task)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import pytest
from sqlalchemy import select

from crm.base import utcnow
from crm.files import StoredFile
from services.processes.uploads import OrphanCleanup, path_of, store

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _upload(user, content: bytes, name: str, mimetype: str = "application/octet-stream"):
    return user.client.post("/api/uploads", data={"file": (io.BytesIO(content), name, mimetype)},
                            headers={"X-CSRFToken": user.csrf_token()}, content_type="multipart/form-data")


def _stored(platform) -> list[StoredFile]:
    with platform.sessions() as session:
        return list(session.scalars(select(StoredFile)))


@pytest.mark.parametrize(("content", "name"), [
    (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 64, "invoice.pdf"),
    (b"\x7fELF\x02\x01\x01" + b"\x00" * 64, "notes.txt"),
    (b"PK\x03\x04" + b"\x00" * 26 + b"payload.exe", "offer.docx"),
    (b"\x00\x01\x02binary", "data.csv"),
])
def test_content_not_on_the_allow_list_is_refused_whatever_its_name(platform, login, tmp_uploads, content, name):
    response = _upload(login("sales"), content, name, "application/pdf")
    assert response.status_code == 422
    assert "not accepted" in response.get_json()["fields"]["file"][0]
    assert _stored(platform) == []
    assert not any(path.is_file() for path in tmp_uploads.rglob("*")) if tmp_uploads.exists() else True


@pytest.mark.parametrize(("content", "name", "claimed", "stored_as"), [
    (PDF, "offer.pdf", "text/html", "application/pdf"),
    (PNG, "photo.jpg", "image/jpeg", "image/png"),
    (b"<html><script>alert(1)</script></html>", "page.html", "text/html", "text/plain"),
    ("Grüße, Kunde\n".encode(), "letter.txt", "", "text/plain"),
])
def test_accepted_files_are_stored_with_their_sniffed_type(platform, login, tmp_uploads, content, name, claimed,
                                                           stored_as):
    response = _upload(login("sales"), content, name, claimed)
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.get_json()["content_type"] == stored_as
    [row] = _stored(platform)
    assert row.content_type == stored_as and row.size == len(content)
    assert path_of(tmp_uploads, row.storage_key).read_bytes() == content


def test_unsent_uploads_have_a_per_user_quota(platform, login, tmp_uploads):
    platform.settings = dataclasses.replace(platform.settings, upload_quota_mb=1)
    sales = login("sales")
    chunk = b"x" * (600 * 1024)
    assert _upload(sales, chunk, "a.txt").status_code == 201
    refused = _upload(sales, chunk, "b.txt")
    assert refused.status_code == 422 and "more than 1 MB" in refused.get_json()["fields"]["file"][0]
    assert _upload(login("sales2"), chunk, "c.txt").status_code == 201  # the quota is per user
    with platform.sessions.begin() as session:  # the first file was sent with a form: it no longer counts
        session.scalars(select(StoredFile).where(StoredFile.uploaded_by == "sales")).one().instance_id = 1
    assert _upload(sales, chunk, "b.txt").status_code == 201
    assert len(_stored(platform)) == 3


@pytest.fixture
def three_uploads(platform, tmp_uploads):
    """An old unattached upload, an old one attached to an instance, a recent unattached one."""
    keys = {}
    with platform.sessions.begin() as session:
        for label, age_hours, instance_id in (("orphan", 30, None), ("attached", 30, 7), ("recent", 1, None)):
            row = store(session, tmp_uploads, io.BytesIO(PDF), f"{label}.pdf", "sales")
            row.uploaded_at = utcnow() - dt.timedelta(hours=age_hours)
            row.instance_id = instance_id
            keys[label] = row.storage_key
    return keys


def test_cleanup_command_deletes_only_old_unattached_uploads(platform, app, three_uploads, tmp_uploads):
    result = app.test_cli_runner().invoke(args=["crm", "cleanup-uploads"])
    assert result.exit_code == 0 and "1 unattached upload(s) removed" in result.output
    assert {row.storage_key for row in _stored(platform)} == {three_uploads["attached"], three_uploads["recent"]}
    assert not path_of(tmp_uploads, three_uploads["orphan"]).exists()
    assert path_of(tmp_uploads, three_uploads["attached"]).exists()


def test_the_scheduler_cleans_up_too(platform, three_uploads, tmp_uploads):
    [cleanup] = [task for task in platform.relay.periodic if isinstance(task, OrphanCleanup)]
    cleanup.upload_dir = tmp_uploads
    with platform.sessions.begin() as session:
        assert cleanup(session, utcnow()) == 1
        assert cleanup(session, utcnow()) == 0  # at most every ten minutes
    assert len(_stored(platform)) == 2 and not path_of(tmp_uploads, three_uploads["orphan"]).exists()
