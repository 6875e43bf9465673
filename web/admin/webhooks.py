"""Admin pages for webhooks: register a URL and its events, see each delivery's status, pause, resume, remove."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from crm.integrations import webhooks
from crm.sealing import SealBroken
from i18n import _, _l, ngettext
from services.admin import webhooks as hook_admin
from web import db
from web.accounts.auth import require_role

bp = Blueprint("admin_webhooks", __name__, url_prefix="/admin/webhooks")
EVENT_LABELS = {
    "task.created": _l("Task created"),
    "task.completed": _l("Task completed"),
    "process.completed": _l("Process completed"),
    "process.failed": _l("Process failed"),
    "contract.approved": _l("Contract approved"),
    "payment.received": _l("Payment received"),
    "service_request.created": _l("Service request created"),
}
"""The events of :data:`crm.integrations.webhooks.EVENTS` as the page names them."""
STATUS_LABELS = {"pending": _l("pending"), "delivered": _l("delivered"), "failed": _l("failed"), "held": _l("held")}


@bp.before_request
@login_required
def only_admins():
    require_role("administrator")


def _hook(hook_id: int) -> webhooks.Webhook:
    hook = hook_admin.hook_by_id(db.session(), hook_id)
    if hook is None or not hook.active:
        abort(404)
    return hook


def _list_page(form: dict, error: str = "", status: int = 200):
    return render_template("admin/webhooks.html", hooks=hook_admin.all_hooks(db.session()), events=EVENT_LABELS,
                           form=form, error=error), status


@bp.get("/")
def index():
    return _list_page({"events": []})


@bp.post("/")
def create():
    form = {"url": request.form.get("url", "").strip(), "description": request.form.get("description", "").strip(),
            "events": request.form.getlist("events")}
    try:
        hook = hook_admin.register(db.session(), form["url"], form["events"], current_user.username,
                                   form["description"], db.platform().settings.webhook_allow_private)
    except hook_admin.TargetRefused as exc:
        return _list_page(form, _("URL refused: %(reason)s", reason=exc), 422)
    except hook_admin.NoEvents as exc:
        return _list_page(form, str(exc), 422)
    db.commit()
    flash(_("Webhook registered. Configure its secret at the receiver to check the signatures."), "success")
    return redirect(url_for(".show", hook_id=hook.id))


@bp.get("/<int:hook_id>")
def show(hook_id: int):
    hook = _hook(hook_id)
    status = request.args.get("status", "")
    session = db.session()
    try:
        secret = hook.secret
    except SealBroken:
        secret = None
    return render_template("admin/webhook.html", hook=hook, secret=secret, events=EVENT_LABELS, statuses=STATUS_LABELS,
                           status=status,
                           deliveries=hook_admin.deliveries(session, hook.id, status),
                           counts=hook_admin.counts(session, hook.id))


@bp.post("/<int:hook_id>/pause")
def pause(hook_id: int):
    webhooks.pause(_hook(hook_id))
    db.commit()
    flash(_("Webhook paused: its events are kept and sent when you resume it."), "success")
    return redirect(url_for(".show", hook_id=hook_id))


@bp.post("/<int:hook_id>/resume")
def resume(hook_id: int):
    count = webhooks.resume(db.session(), _hook(hook_id))
    db.commit()
    flash(ngettext("Webhook resumed; %(num)d held delivery queued.", "Webhook resumed; %(num)d held deliveries queued.",
                   count), "success")
    return redirect(url_for(".show", hook_id=hook_id))


@bp.post("/<int:hook_id>/remove")
def remove(hook_id: int):
    hook = _hook(hook_id)
    hook.active = False
    db.commit()
    flash(_("Webhook removed: nothing more is sent to it."), "success")
    return redirect(url_for(".index"))
