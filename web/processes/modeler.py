"""The browser modeler: open a process, keep a draft, validate and deploy (JSON endpoints for the page)."""

from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_login import login_required
from werkzeug.exceptions import RequestEntityTooLarge

from crm.processes import drafts
from engine.errors import Conflict, DeploymentError
from i18n import _
from services.processes import authoring as process_authoring
from web import db
from web.accounts.auth import actor, require_role
from web.processes.library import OWNERS

bp = Blueprint("modeler", __name__, url_prefix="/processes")


@bp.before_request
@login_required
def owners_only():
    require_role(*OWNERS)


@bp.errorhandler(DeploymentError)
def refused(exc: DeploymentError):
    """Nothing was committed: answer with the problems (file, line, element, message)."""
    return _refused(exc.problems)


@bp.errorhandler(Conflict)
def conflict(exc: Conflict):
    """Another owner saved or deployed in between: nothing was written."""
    return jsonify({"ok": False, "conflict": True, "warnings": [],
                    "errors": [{"severity": "error", "message": str(exc)}]}), 409


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_exc):
    limit = db.platform().engine.max_bpmn_bytes
    return _refused([{"message": _("the request is too large; a file may have at most %(n)s bytes",
                                      n=format(limit, ","))}], 413)


@bp.get("/<key>/edit")
def edit(key: str):
    session, platform = db.session(), db.platform()
    workspace = process_authoring.open_workspace(session, key)
    page = {
        "key": key, "main": workspace.main_file, "files": workspace.files, "baseVersion": workspace.base_version,
        "revision": workspace.draft.revision if workspace.draft else None,
        "catalog": process_authoring.modeler_catalog(platform.registry, platform.settings.locale),
        "urls": {name: url_for(f"modeler.{name}", key=key) for name in ("save", "validate", "deploy")},
    }
    return render_template("processes/modeler.html", workspace=workspace, page=page)


@bp.post("/<key>/draft")
def save(key: str):
    body = _body()
    draft = process_authoring.save_draft(db.session(), db.platform().engine, key, body["files"],
                                         body.get("baseVersion"), actor().username, body.get("revision"))
    db.commit()
    return jsonify({"saved": True, "savedBy": draft.saved_by, "savedAt": draft.saved_at.isoformat(),
                    "revision": draft.revision})


@bp.post("/<key>/draft/discard")
def discard(key: str):
    if drafts.discard_draft(db.session(), key):
        db.commit()
        flash(_("The draft was discarded."), "info")
    return redirect(url_for("processes.library"))


@bp.post("/<key>/validate")
def validate(key: str):
    report = process_authoring.validate(db.session(), db.platform().engine, _body()["files"])
    return jsonify(report.to_json())


@bp.post("/<key>/deploy")
def deploy(key: str):
    body = _body()
    engine = db.platform().engine
    results = process_authoring.deploy(db.session(), engine, body["files"], actor(),
                                       str(body.get("comment", ""))[:2000], draft_key=key,
                                       base_version=body.get("baseVersion"), force=body.get("force") is True)
    warnings = process_authoring.interop_warnings(body["files"], engine.max_bpmn_bytes)
    db.commit()
    return jsonify({"ok": True, "warnings": warnings, "versions": [
        {"key": r.version.process_key, "name": r.version.name, "version": r.version.version, "created": r.created}
        for r in results]})


def _body() -> dict:
    """``{"files": {name: xml}, ...}`` from the request, or a 400 answer."""
    body = request.get_json(silent=True)
    files = body.get("files") if isinstance(body, dict) else None
    if not isinstance(files, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in files.items()):
        raise DeploymentError([{"message": 'send JSON like {"files": {"name.bpmn": "<xml>"}}'}])
    return body


def _refused(problems: list[dict], status: int = 422):
    errors = [{"severity": "error", **p} for p in problems]
    return jsonify({"ok": False, "errors": errors, "warnings": []}), status
