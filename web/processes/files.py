"""Downloading form attachments by storage key."""

from __future__ import annotations

from flask import Blueprint, abort, send_file
from flask_login import login_required

from services.processes import uploads
from services.processes.tasks import may_download
from web import db
from web.accounts.auth import actor

bp = Blueprint("files", __name__, url_prefix="/files")


@bp.get("/<storage_key>")
@login_required
def download(storage_key: str):
    """The file, to its uploader and to whoever may see the process it was submitted to (else 404)."""
    stored = uploads.find(db.session(), storage_key)
    if stored is None or not may_download(db.session(), stored, actor()):
        abort(404)
    path = uploads.path_of(db.platform().settings.upload_dir, storage_key)
    if path is None or not path.is_file():
        abort(404)
    return send_file(path, mimetype=stored.content_type, as_attachment=True, download_name=stored.name)
