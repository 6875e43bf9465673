"""The engineers' schedule: a week grid of bookings, engineer profiles, and manual bookings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required

from crm.service import engineers
from crm.service.service_desk import ServiceOrder
from i18n import _, zones
from services.accounts.directory import user_by_id
from services.service.queries import engineers_without_profile
from web import db
from web.accounts.auth import actor, require_role
from web.input import SERVICE_ROLES, datetime_field, decimal_field, int_field, refusals, time_field

bp = Blueprint("engineers", __name__, url_prefix="/engineers")
MAX_BOOKING_HOURS = Decimal(24 * 31)
"""A manual booking lasts at most a month."""


@bp.before_request
@login_required
def service_roles_only():
    require_role(*SERVICE_ROLES)


def _week_start() -> dt.date:
    try:
        day = dt.date.fromisoformat(request.args.get("week", ""))
    except ValueError:
        day = zones.site_today()
    return day - dt.timedelta(days=day.weekday())


@bp.get("/")
def schedule():
    """Engineers as rows, the seven days of the week as columns."""
    monday = _week_start()
    start, end = engineers.week_of(monday)
    people = engineers.engineers(db.session())
    grid = {(e.id, d): [] for e in people for d in range(7)}
    for booking in engineers.bookings_between(db.session(), start, end):
        day = zones.to_local(booking.starts_at, zones.site_zone()).weekday()  # the yard's days
        grid.setdefault((booking.engineer_id, day), []).append(booking)
    without_profile = engineers_without_profile(db.session(), [e.user_id for e in people])
    days = [monday + dt.timedelta(days=d) for d in range(7)]
    return render_template("service/schedule.html", monday=monday, days=days, engineers=people, grid=grid,
                           candidates=without_profile,
                           previous=monday - dt.timedelta(days=7), next=monday + dt.timedelta(days=7))


@bp.post("/")
def add_profile():
    """An engineer profile: skills and working hours."""
    require_role("service_agent", "administrator")
    with refusals():
        user = user_by_id(db.session(), int_field("user_id"))
        if user is None:
            flash(_("Choose a user."), "danger")
            return redirect(url_for(".schedule"))
        skills = [s.strip() for s in request.form.get("skills", "").split(",") if s.strip()]
        engineers.add_engineer(
            db.session(), user, skills, work_start=time_field("work_start"), work_end=time_field("work_end"),
            work_days=request.form.get("work_days", "12345").strip(),
        )
        db.commit()
        flash(_("%(user)s can now be dispatched.", user=user.display_name), "success")
    return redirect(url_for(".schedule"))


@bp.post("/bookings")
def book():
    """Book an engineer by hand (training, leave, other work); conflicts are refused."""
    require_role("service_agent", "administrator")
    with refusals():
        starts_at = datetime_field("starts_at")
        hours = decimal_field("hours", ServiceOrder.planned_hours, high=MAX_BOOKING_HOURS)
        engineers.book(db.session(), int_field("engineer_id") or 0, starts_at,
                       starts_at + dt.timedelta(hours=float(hours)), note=request.form.get("note", ""),
                       created_by=actor().username)
        db.commit()
        flash(_("Booked."), "success")
    return redirect(url_for(".schedule", week=request.form.get("week", "")))
