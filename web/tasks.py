"""The task page: generated form, context, history and diagram; completing returns to the worklist."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required

from engine.errors import Conflict, TaskDataInvalid
from forms import apply_errors, build_wtform, render_fields
from services import tasks

from . import db
from .auth import actor

bp = Blueprint("tasks", __name__, url_prefix="/tasks")


def _raw_form_data() -> dict:
    """Submitted values: lists for multi-valued fields, single values otherwise."""
    data = {key: values if len(values) > 1 else values[0] for key, values in request.form.lists()}
    data.pop("csrf_token", None)
    return data


@bp.route("/<task_id>", methods=["GET", "POST"])
@login_required
def show(task_id: str):
    platform = db.platform()
    view = tasks.task_view(db.session(), platform.engine, platform.forms, task_id, actor())
    form_class = build_wtform(view.form, view.data) if view.form else None
    wtform = form_class(data=view.initial) if form_class else None
    if request.method == "POST":
        if view.row.status != "ready":
            flash(f"This task was already {view.row.status} by {view.row.completed_by}. Nothing was changed.",
                  "warning")
            return redirect(url_for("worklist.index"))
        wtform = form_class() if form_class else None  # CSRF is checked globally by CSRFProtect
        try:
            tasks.complete_task(db.session(), platform.engine, platform.forms, task_id, _raw_form_data(), actor())
            db.commit()
        except TaskDataInvalid as exc:
            db.session().rollback()
            apply_errors(wtform, exc.errors)
            flash("Please correct the marked fields.", "danger")
        except Conflict as exc:
            db.session().rollback()
            flash(f"{exc}. Your input was not applied; the task list is up to date now.", "warning")
            return redirect(url_for("worklist.index"))
        else:
            flash(f"“{view.row.title}” completed.", "success")
            return redirect(url_for("worklist.index"))
    fields_html = render_fields(wtform) if wtform is not None else ""
    return render_template("task.html", view=view, wtform=wtform, fields_html=fields_html)
