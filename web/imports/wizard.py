"""The import wizard: upload → map columns (preview) → dry run → duplicate decisions → import (progress, ETA;
the page may be closed and reopened) → outcome file, undo."""

from __future__ import annotations

from flask import Blueprint, Flask, Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from i18n import _
from services.imports import running, staging, undo, wizard
from services.imports.catalog import KINDS
from services.imports.outcomes import outcome_workbook
from services.imports.reading import UnreadableFile
from web import db
from web.accounts.auth import require_role

bp = Blueprint("imports", __name__, url_prefix="/imports")
IMPORTERS = ("information_officer", "administrator")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UPLOAD_LIMIT = wizard.MAX_FILE_BYTES + 1024 * 1024


def register(app: Flask) -> None:
    """Let an import's upload be larger than other requests: the limit is raised before anything reads the body
    (the request checks and CSRF read the form)."""
    app.before_request_funcs.setdefault(None, []).insert(0, _upload_limit)


def _upload_limit() -> None:
    if request.endpoint == "imports.index" and request.method == "POST":
        request.max_content_length = UPLOAD_LIMIT


def _batch(batch_id: int):
    require_role(*IMPORTERS)
    return wizard.batch_by_id(db.session(), batch_id) or abort(404)


@bp.route("", methods=["GET", "POST"])
@login_required
def index():
    require_role(*IMPORTERS)
    session = db.session()
    if request.method == "POST":
        upload = request.files.get("file")
        try:
            if upload is None or not upload.filename:
                raise UnreadableFile(_("Choose a CSV or XLSX file."))
            batch = wizard.upload(session, db.platform().settings.upload_dir, upload.stream, upload.filename,
                                  request.form.get("kind", ""), current_user.username)
        except UnreadableFile as exc:
            flash(str(exc), "danger")
            return redirect(url_for("imports.index"))
        db.commit()
        return redirect(url_for("imports.mapping", batch_id=batch.id))
    return render_template("imports/index.html", kinds=KINDS, batches=wizard.recent_batches(session),
                           statuses=wizard.STATUS_LABELS)


@bp.route("/<int:batch_id>/mapping", methods=["GET", "POST"])
@login_required
def mapping(batch_id: int):
    batch = _batch(batch_id)
    session = db.session()
    problems: list[str] = []
    if request.method == "POST" and batch.status in ("uploaded", "failed"):
        chosen = {str(i): request.form.get(f"column_{i}", "") for i in range(len(batch.headers))}
        problems = wizard.set_mapping(session, batch, chosen, current_user.username)
        if not problems and request.form.get("action") == "check":
            wizard.start_check(session, db.platform().settings.upload_dir, batch)
            db.commit()
            return redirect(url_for("imports.show", batch_id=batch.id))
        db.commit()
    try:
        rows = staging.preview(session, KINDS[batch.kind], wizard.file_path(db.platform().settings.upload_dir, batch),
                               batch.mapping)
    except (UnreadableFile, FileNotFoundError) as exc:
        rows, problems = [], [*problems, str(exc)]
    return render_template("imports/mapping.html", batch=batch, kind=KINDS[batch.kind], rows=rows,
                           problems=problems, by_field={name: int(i) for i, name in batch.mapping.items()})


@bp.route("/<int:batch_id>")
@login_required
def show(batch_id: int):
    batch = _batch(batch_id)
    session = db.session()
    found = wizard.report(session, batch) if batch.status != "uploaded" else None
    return render_template("imports/batch.html", batch=batch, report=found, status=wizard.status(batch),
                           statuses=wizard.STATUS_LABELS, reasons=wizard.REASON_LABELS,
                           blockers=undo.blockers(session, batch) if batch.status == "done" else [])


@bp.route("/<int:batch_id>/status")
@login_required
def status(batch_id: int):
    return jsonify(wizard.status(_batch(batch_id)))


@bp.route("/<int:batch_id>/run", methods=["POST"])
@login_required
def run(batch_id: int):
    batch = _batch(batch_id)
    decisions = {key[len("group:"):]: value for key, value in request.form.items() if key.startswith("group:")}
    default = request.form.get("all_groups", "")
    if default:
        decisions = {key: default for key in decisions} | {running.EVERY_GROUP: default}
    try:
        wizard.start_import(db.session(), batch, decisions, current_user.username)
    except ValueError as exc:
        flash(str(exc), "danger")
        return redirect(url_for("imports.show", batch_id=batch_id))
    db.commit()
    return redirect(url_for("imports.show", batch_id=batch_id))


@bp.route("/<int:batch_id>/outcome.xlsx")
@login_required
def outcome(batch_id: int):
    batch = _batch(batch_id)
    name = f"import-{batch.id}-outcome.xlsx"
    return Response(outcome_workbook(db.session(), batch), mimetype=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/<int:batch_id>/undo", methods=["POST"])
@login_required
def undo_batch(batch_id: int):
    batch = _batch(batch_id)
    try:
        undo.undo(db.session(), batch, current_user.username)
    except ValueError as exc:
        flash(str(exc), "danger")
        return redirect(url_for("imports.show", batch_id=batch_id))
    db.commit()
    flash(_("The import was undone."), "success")
    return redirect(url_for("imports.show", batch_id=batch_id))
