"""The worklist page: my tasks and my lanes' queue, with filters, sorting and paging."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required

from engine.deployment import latest_versions
from services import worklist

from . import db
from .auth import actor

bp = Blueprint("worklist", __name__, url_prefix="/worklist")


@bp.get("/")
@login_required
def index():
    which = request.args.get("list", "mine")
    which = which if which in ("mine", "queue") else "mine"
    flt = worklist.TaskFilter.from_args(request.args)
    page_no = max(request.args.get("page", 1, type=int), 1)
    page = worklist.list_tasks(db.session(), actor(), which, flt, page_no)
    processes = sorted((v.process_key, v.name) for v in latest_versions(db.session()).values())
    return render_template(
        "worklist.html", page=page, which=which, flt=flt, processes=processes, due_state=worklist.due_state,
        page_url=lambda number: url_for("worklist.index", list=which, page=number, **flt.as_args()),
    )


def _back():
    return redirect(request.form.get("next") or url_for("worklist.index"))


@bp.post("/<task_id>/claim")
@login_required
def claim(task_id: str):
    db.platform().engine.claim(db.session(), task_id, actor())
    db.commit()
    flash("Task claimed: it is now in My tasks.", "success")
    return _back()


@bp.post("/<task_id>/unclaim")
@login_required
def unclaim(task_id: str):
    db.platform().engine.unclaim(db.session(), task_id, actor())
    db.commit()
    flash("Task released to the queue.", "info")
    return _back()
