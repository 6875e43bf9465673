"""Versions of a process: compare two, roll back to one, move running instances to a newer one."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required

from engine import migration
from engine.models import ProcessVersion
from engine.version_diff import diff_sources
from i18n import _
from services.processes import authoring as process_authoring
from services.processes.queries import versions_of_process
from web import db
from web.accounts.auth import actor, require_role
from web.processes.library import OWNERS

bp = Blueprint("versions", __name__, url_prefix="/processes")


@bp.before_request
@login_required
def owners_only():
    require_role(*OWNERS)


def _versions(key: str) -> list[ProcessVersion]:
    versions = versions_of_process(db.session(), key)
    return versions or abort(404)


@bp.get("/<key>/diff")
def diff(key: str):
    versions = {v.version: v for v in _versions(key)}
    newest = max(versions)
    new = versions.get(request.args.get("b", newest, type=int)) or abort(404)
    old = versions.get(request.args.get("a", max(new.version - 1, 1), type=int)) or abort(404)
    changes = diff_sources(old.source_xml, new.source_xml, key, db.platform().engine.max_bpmn_bytes)
    return render_template("processes/process_diff.html", key=key, versions=list(versions.values()), old=old, new=new,
                           changes=changes)


@bp.post("/versions/<int:version_id>/rollback")
def rollback(version_id: int):
    session = db.session()
    results = process_authoring.rollback(session, db.platform().engine, version_id, actor(),
                                         request.form.get("reason", "").strip())
    db.commit()
    for result in results:
        text = (_("%(process)s is now version %(version)s.", process=result.version.name,
                  version=result.version.version) if result.created
                else _("%(process)s unchanged at version %(version)s.", process=result.version.name,
                       version=result.version.version))
        flash(text, "success" if result.created else "info")
    return redirect(url_for("processes.library"))


@bp.route("/<key>/migrate", methods=["GET", "POST"])
def migrate(key: str):
    versions = _versions(key)
    session, engine = db.session(), db.platform().engine
    target = process_authoring.migration_target(session, key, request.values.get("to", type=int))
    if request.method == "POST":
        ids = [int(i) for i in request.form.getlist("instance") if i.isdigit()]
        moved, refused = process_authoring.migrate(session, engine, target, ids, actor(),
                                                   request.form.get("reason", "").strip())
        db.commit()
        if moved:
            flash(_("Moved to v%(version)s: %(instances)s.", version=target.version,
                    instances=", ".join(f"#{i}" for i in moved)), "success")
        for instance_id, why in refused.items():
            flash(_("#%(id)s stays: %(why)s", id=instance_id, why=why), "warning")
        if not ids:
            flash(_("Select the instances to move."), "warning")
        return redirect(url_for("versions.migrate", key=key, to=target.version))
    return render_template("processes/migrate.html", key=key, versions=versions, target=target,
                           checks=migration.preview(engine, session, target))
