"""The data-quality page: the checks' open counts over time, the open findings, a run on demand, and findings
handed to the information officer as tasks (one per batch of customers)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required

from crm.base import utcnow
from i18n import _, ngettext
from services.quality import runs, tasks
from services.quality.labels import CHECK_LABELS
from web import db
from web.accounts.auth import actor, require_role

bp = Blueprint("quality", __name__, url_prefix="/quality")
KEEPERS = ("information_officer", "administrator")


@bp.route("")
@login_required
def index():
    require_role(*KEEPERS)
    session = db.session()
    check = request.args.get("check") or None
    check = check if check in CHECK_LABELS else None
    return render_template("quality/index.html", labels=CHECK_LABELS, history=runs.runs(session),
                           counts=runs.open_counts(session), findings=tasks.open_findings(session, check),
                           check=check)


@bp.route("/run", methods=["POST"])
@login_required
def run_now():
    require_role(*KEEPERS)
    runs.queue_run(db.session(), utcnow(), db.platform().settings.quality_idle_days)
    db.commit()
    flash(_("The checks ran."), "success")
    return redirect(url_for("quality.index"))


@bp.route("/tasks", methods=["POST"])
@login_required
def hand_over():
    require_role(*KEEPERS)
    ids = [int(i) for i in request.form.getlist("finding_id") if i.isdigit()]
    started = tasks.hand_over(db.session(), db.platform().engine, ids, actor())
    db.commit()
    if started:
        flash(ngettext("%(num)d task for the information officers.", "%(num)d tasks for the information officers.",
                       len(started)), "success")
    else:
        flash(_("Choose open findings that are not in a task yet."), "warning")
    return redirect(url_for("quality.index"))
