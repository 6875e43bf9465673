"""The worklist page: my tasks and my lanes' queue, with filters (saved and shared), sorting and paging."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup

from crm.processes.worklist import delete_filter, filters_for, save_filter
from engine.deployment import process_names
from i18n import _
from services.processes import task_actions, worklist
from web import db
from web.accounts.auth import actor
from web.processes.tasks import back_to
from web.row_links import url_format

bp = Blueprint("worklist", __name__, url_prefix="/worklist")


@bp.get("/")
@login_required
def index():
    which = request.args.get("list", "mine")
    which = which if which in ("mine", "queue") else "mine"
    flt = worklist.TaskFilter.from_args(request.args)
    page_no = max(request.args.get("page", 1, type=int), 1)
    session, me = db.session(), actor()
    page = worklist.list_tasks(session, me, which, flt, page_no, user=current_user.user)
    processes = process_names(session)
    return render_template(
        "processes/worklist.html", page=page, which=which, flt=flt, processes=processes, row_texts=_row_texts(),
        links=_row_links(which),
        saved_filters=filters_for(session, current_user.user),
        colleagues=worklist.colleagues_by_role(session, {task.role for task in page.items}, me),
        page_url=lambda number: url_for("worklist.index", list=which, page=number, **flt.as_args()),
    )


def _row_links(which: str) -> dict[str, str]:
    """Each row's links as format strings (:func:`web.row_links.url_format`), built once per page."""
    claim = "worklist.unclaim" if which == "mine" else "worklist.claim"
    return {"show": url_format("tasks.show", "task_id"), "claim": url_format(claim, "task_id"),
            "handover": url_format("tasks.handover", "task_id")}


def _row_texts() -> dict[str, Markup]:
    """The messages every row fills in, translated once per page: markup-safe format strings that the template
    fills with ``|format`` (which escapes the values, as the templates' ``_()`` does)."""
    return {"priority": Markup(_("Priority %(n)s")), "priority_note": Markup(_("priority %(n)s")),
            "hand_to": Markup(_("Colleague to hand “%(task)s” to"))}


@bp.post("/<task_id>/claim")
@login_required
def claim(task_id: str):
    task_actions.claim(db.session(), db.platform().engine, task_id, actor())
    db.commit()
    flash(_("Task claimed: it is now in My tasks."), "success")
    return back_to(url_for("worklist.index"))


@bp.post("/<task_id>/unclaim")
@login_required
def unclaim(task_id: str):
    task_actions.release(db.session(), db.platform().engine, task_id, actor())
    db.commit()
    flash(_("Task released to the queue."), "info")
    return back_to(url_for("worklist.index"))


@bp.post("/filters")
@login_required
def save():
    name = request.form.get("name", "").strip()
    args = worklist.TaskFilter.from_args(request.form).as_args()
    which = request.form.get("list", "mine")
    args["list"] = which if which in ("mine", "queue") else "mine"
    if not name:
        flash(_("Give the filter a name."), "danger")
        return redirect(url_for("worklist.index", **args))
    shared = request.form.get("shared") == "on" and current_user.user.team_id is not None
    save_filter(db.session(), current_user.user, name, args, shared=shared)
    db.commit()
    flash(_("Filter “%(name)s” saved and shared with your team.", name=name) if shared
          else _("Filter “%(name)s” saved.", name=name), "success")
    return redirect(url_for("worklist.index", **args))


@bp.post("/filters/<int:filter_id>/delete")
@login_required
def delete(filter_id: int):
    if delete_filter(db.session(), current_user.user, filter_id):
        db.commit()
        flash(_("Filter deleted."), "info")
    else:
        flash(_("Only its owner can delete a filter."), "danger")
    return redirect(url_for("worklist.index"))
