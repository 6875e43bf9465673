"""Admin console: find stuck instances, see why, and repair them (every action asks for a reason)."""

from __future__ import annotations

import json

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required

from crm import audit
from engine import admin_actions, migration
from engine.deployment import latest_versions
from engine.errors import EngineError, InvalidState
from engine.models import ProcessInstance
from i18n import _, _l, ngettext
from services.admin import instances as queries
from services.admin.jobs import failed_jobs, queue_status, requeue_failed
from services.admin.labels import label as admin_label
from services.admin.labels import status_filter_label
from services.admin.webhooks import paused_hooks
from services.processes import labels
from services.processes.codes import event_label, status_label
from services.processes.queries import instance_by_id
from web import db
from web.accounts.auth import actor, require_role
from web.redirects import safe_next

bp = Blueprint("admin_instances", __name__, url_prefix="/admin")
ACTIONS = {
    "retry": _l("retry"), "rewind": _l("rewind"), "edit-data": _l("edit data"), "complete-task": _l("complete a task"),
    "skip-task": _l("skip a task"), "suspend": _l("suspend"), "resume": _l("resume"), "terminate": _l("terminate"),
    "fire-timer": _l("fire the timer"), "send-message": _l("send a message"), "requeue": _l("queue a job"),
    "migrate": _l("migrate to the newest version"),
}
"""The repair actions as the console's messages name them."""
BULK_ACTIONS = {
    "retry": _l("Retry selected"), "suspend": _l("Suspend selected"), "resume": _l("Resume selected"),
    "terminate": _l("Terminate selected"), "fire-timer": _l("Fire timers of selected"),
    "requeue": _l("Queue a job for selected"), "migrate": _l("Migrate selected to the newest version"),
}


@bp.before_request
@login_required
def only_admins():
    require_role("administrator")


@bp.context_processor
def codes() -> dict:
    """The console's pages show engine codes by their labels."""
    return {"status_label": status_label, "event_label": event_label, "admin_label": admin_label,
            "status_filter_label": status_filter_label}


@bp.get("/instances")
def index():
    flt = queries.InstanceFilter.from_args(request.args)
    page = max(request.args.get("page", 1, type=int), 1)
    rows, total, counts = queries.find_instances(db.session(), flt, page)
    processes = sorted((v.process_key, labels.process_name(v)) for v in latest_versions(db.session()).values())
    return render_template("admin/instances.html", rows=rows, total=total, counts=counts, flt=flt,
                           customer_names=queries.customer_names(db.session(), rows),
                           processes=processes, bulk_actions=BULK_ACTIONS, page=page, pages=max(1, -(-total // 50)),
                           page_url=lambda n: url_for("admin_instances.index", page=n, **flt.as_args()))


def _instance(instance_id: int) -> ProcessInstance:
    return instance_by_id(db.session(), instance_id) or abort(404)


@bp.get("/instances/<int:instance_id>")
def show(instance_id: int):
    platform = db.platform()
    detail = queries.instance_detail(db.session(), platform.engine, _instance(instance_id))
    rewind_targets = [t for t in detail.tasks if t["state"] == "COMPLETED" and t["type"].endswith("Task")]
    return render_template("admin/instance.html", d=detail, rewind_targets=rewind_targets)


@bp.get("/instances/<int:instance_id>/rewind-preview")
def rewind_preview(instance_id: int):
    """Which service tasks would run again if the instance were rewound to ``task_id``."""
    names = admin_actions.service_tasks_after(db.platform().engine, _instance(instance_id),
                                              request.args.get("task_id", ""))
    return {"service_tasks_run_again": names}


def _json_field(name: str) -> dict:
    try:
        value = json.loads(request.form.get(name) or "{}")
    except json.JSONDecodeError as exc:
        raise InvalidState(_("%(field)s is not valid JSON: %(error)s (line %(line)s)", field=name, error=exc.msg,
                             line=exc.lineno)) from None
    if not isinstance(value, dict):
        raise InvalidState(_("%(field)s must be a JSON object", field=name))
    return value


def perform(action: str, instance_id: int, form) -> str:
    """Run one repair action; returns what to tell the admin."""
    session, engine, who, reason = db.session(), db.platform().engine, actor(), form.get("reason", "")
    if action == "retry":
        admin_actions.retry(session, engine, instance_id, who, reason)
    elif action == "rewind":
        admin_actions.rewind(session, engine, instance_id, form.get("task_id", ""), who, reason)
    elif action == "edit-data":
        admin_actions.edit_data(session, engine, instance_id, _json_field("data"), who, reason)
    elif action == "complete-task":
        admin_actions.complete_by_hand(session, engine, form.get("task_id", ""), _json_field("data"), who, reason)
    elif action == "skip-task":
        admin_actions.skip_task(session, engine, instance_id, form.get("task_id", ""), who, reason)
    elif action in ("suspend", "resume"):
        admin_actions.set_suspended(session, engine, instance_id, action == "suspend", who, reason)
    elif action == "terminate":
        admin_actions.terminate(session, engine, instance_id, who, reason)
    elif action == "fire-timer":
        admin_actions.fire_timer_now(session, engine, instance_id, who, reason)
    elif action == "send-message":
        admin_actions.send_message(session, engine, instance_id, form.get("message", ""),
                                   _json_field("payload"), who, reason)
    elif action == "requeue":
        admin_actions.requeue(session, instance_id, who, reason)
    elif action == "migrate":
        migrate_to_newest(session, engine, instance_id, who, reason)
    else:
        abort(404)
    audit.record(session, who.username, f"instance.{action}", f"instance:{instance_id}",
                 {k: v for k, v in form.items() if k not in ("csrf_token", "reason", "ids", "next")}, reason)
    return _("#%(id)s: %(action)s done.", id=instance_id, action=ACTIONS[action])


def migrate_to_newest(session, engine, instance_id: int, who, reason: str) -> None:
    """Move an instance to the newest version of its process (refused when unsafe)."""
    if not reason.strip():
        raise InvalidState(_("say why: every repair action needs a reason for the audit log"))
    instance = _instance(instance_id)
    target = engine.latest_version(session, instance.process_key)
    if target.id == instance.version_id:
        raise InvalidState(_("the instance already runs the newest version (v%(version)s)", version=target.version))
    migration.migrate(engine, session, instance_id, target, who)


@bp.post("/instances/<int:instance_id>/<action>")
def act(instance_id: int, action: str):
    try:
        message = perform(action, instance_id, request.form)
        db.commit()
        flash(message, "success")
    except EngineError as exc:
        db.session().rollback()
        flash(f"#{instance_id}: {exc}", "danger")
    return redirect(url_for("admin_instances.show", instance_id=instance_id))


@bp.post("/instances/bulk")
def bulk():
    action = request.form.get("action", "")
    if action not in ("retry", "suspend", "resume", "terminate", "fire-timer", "requeue", "migrate"):
        abort(400)
    done, failed = 0, []
    for instance_id in request.form.getlist("ids", type=int):
        try:
            perform(action, instance_id, request.form)
            db.commit()
            done += 1
        except EngineError as exc:
            db.session().rollback()
            failed.append(f"#{instance_id}: {exc}")
    message = ngettext("%(action)s: %(num)d instance done.", "%(action)s: %(num)d instances done.", done,
                       action=ACTIONS[action])
    if failed:
        message += " " + ngettext("%(num)d refused: %(reasons)s", "%(num)d refused: %(reasons)s", len(failed),
                                  reasons=_("; ").join(failed))
    flash(message, "warning" if failed else "success")
    return redirect(safe_next(request.form.get("next"), url_for("admin_instances.index")))


@bp.get("/health")
def health():
    summary = queries.health(db.session())
    versions = latest_versions(db.session())
    labels.show_versions(versions.values())
    for step in summary["steps"]:
        if step.process_key in versions:
            step.title = labels.text(versions[step.process_key], step.task_name, step.title)
    heat: dict[str, dict[str, int]] = {}
    for step in summary["steps"]:
        heat.setdefault(step.process_key, {})[step.task_name] = step.waiting
    return render_template("admin/health.html", s=summary, heat=heat, versions=versions,
                           queue=queue_status(db.session(), db.platform()),
                           paused_hooks=paused_hooks(db.session()))


@bp.post("/jobs/requeue-failed")
def requeue_jobs():
    count = requeue_failed(db.session(), db.platform(), actor(), request.form.get("reason", ""))
    db.commit()
    flash(ngettext("%(num)d failed job queued again.", "%(num)d failed jobs queued again.", count), "success")
    return redirect(url_for("admin_instances.health"))


@bp.get("/jobs")
def jobs():
    failed = failed_jobs(db.session())
    return render_template("admin/jobs.html", failed=failed, queue=queue_status(db.session(), db.platform()))
