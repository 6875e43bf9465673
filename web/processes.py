"""Start menu and process library (list, download, upload and deploy versions)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required
from sqlalchemy import func, select

from engine.deployment import latest_versions
from engine.errors import DeploymentError, TaskDataInvalid
from engine.models import ProcessInstance, ProcessVersion
from forms import apply_errors, build_wtform, render_fields
from services import tasks

from . import db
from .auth import actor, require_role

bp = Blueprint("processes", __name__, url_prefix="/processes")


def _startable():
    """Newest versions the current user may start (by the start event's lane)."""
    engine = db.platform().engine
    me = actor()
    result = []
    for version in sorted(latest_versions(db.session()).values(), key=lambda v: v.name):
        role = engine.load_version(version).start_role
        if role is None or role in me.roles or me.is_admin:
            result.append(version)
    return result


@bp.get("/start")
@login_required
def start_menu():
    return render_template("start_menu.html", versions=_startable())


@bp.route("/start/<key>", methods=["GET", "POST"])
@login_required
def start(key: str):
    platform = db.platform()
    version = platform.engine.latest_version(db.session(), key)
    form_def = tasks.start_form(platform.engine, platform.forms, version)
    form_class = build_wtform(form_def, {}) if form_def else None
    wtform = form_class() if form_class else None
    if request.method == "POST":
        raw = {k: v if len(v) > 1 else v[0] for k, v in request.form.lists() if k != "csrf_token"}
        try:
            instance = tasks.start_process(db.session(), platform.engine, platform.forms, key, raw, actor())
            db.commit()
        except TaskDataInvalid as exc:
            db.session().rollback()
            apply_errors(wtform, exc.errors)
            flash("Please correct the marked fields.", "danger")
        else:
            flash(f"Started “{version.name}” (#{instance.id}).", "success")
            return redirect(url_for("worklist.index"))
    return render_template("start.html", version=version,
                           fields_html=render_fields(wtform) if wtform is not None else "")


@bp.get("/library")
@login_required
def library():
    require_role("process_owner", "administrator")
    session = db.session()
    versions = list(session.scalars(
        select(ProcessVersion).order_by(ProcessVersion.process_key, ProcessVersion.version.desc())
    ))
    counts = dict(session.execute(
        select(ProcessInstance.version_id, func.count()).group_by(ProcessInstance.version_id)
    ).all())
    return render_template("library.html", versions=versions, counts=counts)


@bp.get("/versions/<int:version_id>.bpmn")
@login_required
def download(version_id: int):
    version = db.session().get(ProcessVersion, version_id) or abort(404)
    return Response(version.source_xml, mimetype="application/xml", headers={
        "Content-Disposition": f'attachment; filename="{version.process_key}-v{version.version}.bpmn"'})


@bp.post("/library/upload")
@login_required
def upload():
    require_role("process_owner", "administrator")
    files = {f.filename: f.read() for f in request.files.getlist("files") if f.filename}
    if not files:
        flash("Choose at least one .bpmn or .dmn file.", "warning")
        return redirect(url_for("processes.library"))
    try:
        results = db.platform().engine.deploy(db.session(), files, actor().username,
                                              request.form.get("comment", ""))
        db.commit()
    except DeploymentError as exc:
        db.session().rollback()
        return render_template("deploy_errors.html", problems=exc.problems), 422
    for result in results:
        verb = "deployed as" if result.created else "unchanged at"
        flash(f"{result.version.name}: {verb} version {result.version.version}.",
              "success" if result.created else "info")
    return redirect(url_for("processes.library"))
