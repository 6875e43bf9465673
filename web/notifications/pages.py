"""The bell's page (in-app notifications, mark read) and the e-mail/SMS outbox."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from crm.notifications import messages as notifications
from i18n import _, _l
from web import db
from web.redirects import safe_next

bp = Blueprint("notifications", __name__, url_prefix="/notifications")
STATUS_LABELS = {"sent": _l("sent"), "kept": _l("kept"), "pending": _l("pending"), "failed": _l("failed"),
                 "undeliverable": _l("undeliverable")}
"""An outbox message's status as the page names it."""
CHANNEL_LABELS = {"email": _l("E-mail"), "sms": _l("Text message")}


@bp.get("/")
@login_required
def index():
    items = notifications.recent(db.session(), current_user.id)
    return render_template("notifications/notifications.html", items=items)


@bp.post("/<int:notification_id>/open")
@login_required
def open_one(notification_id: int):
    """Mark read and follow the notification's link (or come back to the list)."""
    note = notifications.mark_read(db.session(), current_user.id, notification_id)
    db.commit()
    return redirect(safe_next(note.link if note is not None else "", url_for("notifications.index")))


@bp.post("/read")
@login_required
def read_all():
    notifications.mark_read(db.session(), current_user.id)
    db.commit()
    return redirect(url_for("notifications.index"))


@bp.get("/outbox")
@login_required
def outbox():
    """E-mails and text messages: administrators see everyone's, others their own."""
    everyone = current_user.has_role("administrator") and request.args.get("mine") is None
    messages = notifications.outbox(db.session(), None if everyone else current_user.id)
    transports = db.platform().alerts.notifier.transports
    return render_template("notifications/outbox.html", messages=messages, everyone=everyone,
                           kept_because=_kept_because(set(transports)), statuses=STATUS_LABELS,
                           channels=CHANNEL_LABELS)


def _kept_because(transports: set[str]) -> str:
    """Why messages are kept instead of sent ("" when every channel has a transport)."""
    if not {"email", "sms"} & transports:
        return _("Neither an SMTP server nor an SMS gateway is configured: e-mails and text messages are kept here "
                 "(status “kept”) instead of being sent.")
    if "email" not in transports:
        return _("No SMTP server is configured: e-mails are kept here (status “kept”) instead of being sent.")
    if "sms" not in transports:
        return _("No SMS gateway is configured: text messages are kept here (status “kept”) instead of being sent.")
    return ""
