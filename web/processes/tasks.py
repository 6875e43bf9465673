"""The task page: generated form, context, earlier steps, comments, history and diagram.

Completing returns to the worklist with a confirmation. When someone else completed the task first,
the page is shown again (409) with the user's input read-only, so nothing typed is lost.
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required

from crm import formatting
from engine.errors import Conflict, EngineError, TaskDataInvalid
from forms import build_wtform, render_fields
from i18n import _
from services.processes import outcomes, task_actions, tasks, worklist
from services.processes.codes import event_label, status_label
from web import db
from web.accounts.auth import actor
from web.idempotency import idempotent
from web.processes.form_input import discard_submission, mark_invalid, shown_back, submitted
from web.redirects import safe_next

bp = Blueprint("tasks", __name__, url_prefix="/tasks")


def _page(view, wtform, status: int = 200, conflict_input: list | None = None):
    me = actor()
    try:
        db.platform().engine.check_can_work_on(view.row, me)
        can_work = view.row.status == "ready"
    except EngineError:
        can_work = False
    return render_template(
        "processes/task.html", view=view, wtform=wtform,
        fields_html=render_fields(wtform) if wtform is not None else "",
        can_work=can_work, conflict_input=conflict_input,
        overridable=[r for r in view.rules if r.override_role and (r.override_role in me.roles or me.is_admin)],
        colleagues=worklist.colleagues(db.session(), view.row.role, me) if can_work else [],
        priority=worklist.priority_label(view.row.priority), due=worklist.due_state(view.row),
        follow_up_due=worklist.follow_up_due(view.row), event_label=event_label, status_label=status_label,
    ), status


def _conflict(view, reason: str = ""):
    """409: the task moved on under the user; show their input back, read-only."""
    row = view.row
    when = formatting.datetime(row.completed_at) if row.completed_at else ""
    if row.status == "completed":
        who = row.completed_by or _("Someone")
        reason = (_("%(user)s completed this task first at %(when)s.", user=who, when=when) if when
                  else _("%(user)s completed this task first.", user=who))
    elif row.status != "ready":
        status = status_label(row.status)
        reason = (_("This task was %(status)s at %(when)s.", status=status, when=when) if when
                  else _("This task was %(status)s.", status=status))
    flash(_("%(reason)s Your input was not applied; it is shown below so you can copy it.", reason=reason), "warning")
    return _page(view, None, 409, shown_back(view.form))


@bp.route("/<task_id>", methods=["GET", "POST"])
@login_required
@idempotent
def show(task_id: str):
    """The task page; a submission completes the task (the page is built again only when it is refused)."""
    if request.method == "GET":
        view = _view(task_id)
        return _page(view, _wtform(view))
    platform = db.platform()
    row = tasks.load_task(db.session(), platform.engine, task_id, actor())
    if row.status != "ready":
        return _conflict(_view(task_id))
    stored: list[str] = []
    try:
        raw, stored = submitted(platform.forms.task_form(row.instance.version, row.task_name))
        instance = tasks.complete_task(db.session(), platform.engine, platform.forms, task_id, raw, actor())
        db.commit()
    except TaskDataInvalid as exc:
        discard_submission(stored)
        view = _view(task_id)
        wtform = _wtform(view)  # CSRF is checked globally by CSRFProtect
        mark_invalid(wtform, exc.errors)
        return _page(view, wtform, 422)
    except Conflict as exc:
        discard_submission(stored)
        message = str(exc)
        return _conflict(_view(task_id), f"{message[:1].upper()}{message[1:]}.")
    outcome = outcomes.after_completion(db.session(), platform.engine, instance, row, actor())
    flash(outcome.text, outcome.category)
    return redirect(url_for("worklist.index"))


def _view(task_id: str) -> tasks.TaskView:
    platform = db.platform()
    return tasks.task_view(db.session(), platform.engine, platform.forms, task_id, actor())


def _wtform(view: tasks.TaskView):
    """The task's generated form (None when it has none), filled with its initial values (and the submission)."""
    return build_wtform(view.form, view.data)() if view.form else None


def back_to(default: str):
    """Redirect to the form's ``next`` (a local path only) or ``default``."""
    return redirect(safe_next(request.form.get("next"), default))


@bp.post("/<task_id>/handover")
@login_required
def handover(task_id: str):
    platform = db.platform()
    row = task_actions.hand_over(db.session(), platform.engine, platform.alerts, task_id,
                                 request.form.get("assignee", ""), actor())
    db.commit()
    flash(_("“%(task)s” handed over to %(user)s.", task=row.title, user=row.assignee), "success")
    return back_to(url_for("worklist.index"))


@bp.post("/<task_id>/follow-up")
@login_required
def follow_up(task_id: str):
    text = "" if "clear" in request.form else request.form.get("follow_up", "").strip()
    try:
        when = dt.datetime.combine(dt.date.fromisoformat(text), dt.time()) if text else None
    except ValueError:
        flash(_("Enter the follow-up date as YYYY-MM-DD."), "danger")
        return redirect(url_for("tasks.show", task_id=task_id))
    task_actions.set_follow_up(db.session(), db.platform().engine, task_id, when, actor())
    db.commit()
    flash(_("Follow-up set to %(date)s.", date=when.strftime("%Y-%m-%d")) if when else _("Follow-up date cleared."),
          "success")
    return redirect(url_for("tasks.show", task_id=task_id))


@bp.post("/<task_id>/comments")
@login_required
def add_comment(task_id: str):
    task_actions.comment(db.session(), db.platform().engine, task_id, request.form.get("body", ""), actor())
    db.commit()
    flash(_("Comment added."), "success")
    return redirect(url_for("tasks.show", task_id=task_id) + "#comments")
