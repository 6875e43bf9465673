"""Start menu and process library (every process with its versions, download, upload, new process)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required

from crm import audit
from engine.errors import DeploymentError, TaskDataInvalid
from forms import build_wtform, render_fields
from i18n import _
from services.processes import authoring as process_authoring
from services.processes import labels, queries, tasks
from services.processes.codes import status_label
from services.processes.version_sources import diagram_xml, version_files
from web import db
from web.accounts.auth import actor, require_role
from web.idempotency import idempotent
from web.processes.form_input import refuse_invalid, submitted

bp = Blueprint("processes", __name__, url_prefix="/processes")
OWNERS = ("process_owner", "administrator")


def _startable():
    """Newest versions the current user may start, labelled in the request's language."""
    platform = db.platform()
    versions = tasks.startable_versions(db.session(), platform.engine, platform.forms, actor())
    labels.show_versions(versions)
    return versions


@bp.get("/start")
@login_required
def start_menu():
    return render_template("processes/start_menu.html", versions=_startable())


@bp.route("/start/<key>", methods=["GET", "POST"])
@login_required
@idempotent
def start(key: str):
    platform = db.platform()
    version = platform.engine.latest_version(db.session(), key)
    tasks.refuse_system_started(platform.forms, version)
    form_def = tasks.start_form(platform.engine, platform.forms, version)
    form_class = build_wtform(form_def, _prefilled(form_def)) if form_def else None
    wtform = form_class() if form_class else None
    status = 200
    if request.method == "POST":
        stored: list[str] = []
        try:
            raw, stored = submitted(form_def)
            instance = tasks.start_process(db.session(), platform.engine, platform.forms, key, raw, actor())
            db.commit()
        except TaskDataInvalid as exc:
            refuse_invalid(wtform, exc.errors, stored)
            status = 422
        else:
            flash(_("Started “%(process)s” (#%(id)s).", process=labels.process_name(version), id=instance.id),
                  "success")
            return redirect(url_for("worklist.index"))
    labels.show_versions([version])  # after starting: an instance keeps the stored name
    return render_template("processes/start.html", version=version,
                           fields_html=render_fields(wtform) if wtform is not None else ""), status


def _prefilled(form_def) -> dict:
    """Reference fields filled in from the query string (``?customer_id=7`` from a customer's page)."""
    values = {}
    for field in form_def.fields:
        raw = request.args.get(field.id, "")
        if field.reference and raw.isdigit():
            values[field.id] = int(raw)
    return values


@bp.get("/library")
@login_required
def library():
    require_role(*OWNERS)
    session = db.session()
    processes = queries.versions_by_process(session)
    labels.show_versions(v for versions in processes.values() for v in versions)
    return render_template("processes/library.html", processes=processes,
                           drafts=queries.drafts_by_process_key(session),
                           counts=process_authoring.instance_counts(session),
                           files=version_files, status_label=status_label,
                           audit_entries=audit.entries(session, action_prefix="process.", limit=20))


@bp.get("/versions/<int:version_id>.bpmn")
@login_required
def download(version_id: int):
    """The full source (scripts, conditions, forms): process owners and administrators only."""
    require_role(*OWNERS)
    version = queries.version_by_id(db.session(), version_id) or abort(404)
    return Response(version.source_xml, mimetype="application/xml", headers={
        "Content-Disposition": f'attachment; filename="{version.process_key}-v{version.version}.bpmn"'})


@bp.get("/versions/<int:version_id>/diagram.bpmn")
@login_required
def diagram(version_id: int):
    """What the task page draws: the diagram without scripts and expressions (see ``diagram_xml``)."""
    version = queries.version_by_id(db.session(), version_id) or abort(404)
    return Response(diagram_xml(version, lambda root: labels.translate_diagram(version, root)),
                    mimetype="application/xml")


@bp.get("/versions/<int:version_id>/files/<name>")
@login_required
def download_file(version_id: int, name: str):
    """One file of a version: its own BPMN or a DMN/BPMN file it depends on."""
    require_role(*OWNERS)
    version = queries.version_by_id(db.session(), version_id) or abort(404)
    content = version_files(version).get(name) or abort(404)
    return Response(content, mimetype="application/xml", headers={
        "Content-Disposition": f'attachment; filename="v{version.version}-{name}"'})


@bp.post("/library/upload")
@login_required
def upload():
    require_role(*OWNERS)
    files = {f.filename: f.read().decode("utf-8", "replace") for f in request.files.getlist("files") if f.filename}
    if not files:
        flash(_("Choose at least one .bpmn or .dmn file."), "warning")
        return redirect(url_for("processes.library"))
    session, platform = db.session(), db.platform()
    try:
        results = process_authoring.deploy(session, platform.engine, files, actor(), request.form.get("comment", ""))
        warnings = process_authoring.interop_warnings(files, platform.engine.max_bpmn_bytes)
        db.commit()
    except DeploymentError as exc:
        session.rollback()
        return render_template("processes/deploy_errors.html", problems=exc.problems), 422
    for result in results:
        text = (_("%(process)s: deployed as version %(version)s.", process=result.version.name,
                  version=result.version.version) if result.created
                else _("%(process)s: unchanged at version %(version)s.", process=result.version.name,
                       version=result.version.version))
        flash(text, "success" if result.created else "info")
    for warning in warnings:
        flash(f"{warning['file']} [{warning['element'] or '—'}]: {warning['message']}", "warning")
    return redirect(url_for("processes.library"))


@bp.post("/library/new")
@login_required
def new_process():
    require_role(*OWNERS)
    key = request.form.get("key", "").strip()
    try:
        process_authoring.new_process(db.session(), key, request.form.get("name", "").strip(), actor().username)
        db.commit()
    except DeploymentError as exc:
        db.session().rollback()
        flash(exc.problems[0]["message"], "danger")
        return redirect(url_for("processes.library"))
    return redirect(url_for("modeler.edit", key=key))
