"""The signed-in user's own account: display name, phone, language, time zone, notification channels, password."""

from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from crm.accounts.passwords import MIN_LENGTH
from crm.accounts.profile import change_password, update_profile
from crm.fields import RecordInvalid
from i18n import _
from web import db
from web.accounts.auth import sign_in

bp = Blueprint("account", __name__, url_prefix="/account")


def _page(status: int = 200, form=None, errors=None, password_errors=None):
    user = current_user.user
    form = form if form is not None else {"display_name": user.display_name, "phone": user.phone,
                                          "language": user.language, "timezone": user.timezone,
                                          "notify_email": "1" if user.notify_email else "",
                                          "notify_sms": "1" if user.notify_sms else ""}
    settings = current_app.extensions["crm"].settings
    return render_template("accounts/account.html", user=user, form=form, errors=errors or {},
                           password_errors=password_errors or {}, min_length=MIN_LENGTH,
                           site_language=settings.locale, site_timezone=settings.timezone,
                           timezones=_timezones()), status


@cache
def _timezones() -> list[str]:
    named = (zone for zone in available_timezones() if "/" in zone and not zone.startswith(("Etc/", "SystemV/")))
    return ["UTC", *sorted(named)]


@bp.get("/")
@login_required
def show():
    return _page()


@bp.post("/")
@login_required
def save():
    try:
        changed = update_profile(db.session(), current_user.user, request.form)
    except RecordInvalid as exc:
        db.session().rollback()
        return _page(422, form=request.form, errors=exc.errors)
    db.commit()
    flash(_("Saved.") if changed else _("Nothing changed."), "success" if changed else "info")
    return redirect(url_for("account.show"))


@bp.post("/password")
@login_required
def password():
    form = request.form
    try:
        change_password(db.session(), current_user.user, form.get("current_password", ""),
                        form.get("new_password", ""), form.get("repeat_password", ""))
    except RecordInvalid as exc:
        db.session().rollback()
        return _page(422, password_errors=exc.errors)
    db.commit()
    sign_in(current_user.user)  # this session goes on; every other session and API token has ended
    flash(_("Your password is changed; you are signed out everywhere else."), "success")
    return redirect(url_for("account.show"))
