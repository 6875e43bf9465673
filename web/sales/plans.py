"""Daily plans: a salesperson's day (plan, record, follow-ups) and the manager's view of the team's days."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from crm import formatting
from crm.accounts.access import subordinate_ids, subordinates
from crm.customers.queries import visible_customer
from crm.sales.activities import (
    ACTIVITY_KINDS,
    comment_plan,
    complete_activity,
    daily_plan,
    plan_activity,
    save_plan_notes,
)
from i18n import _, zones
from services.accounts.directory import user_by_id
from services.customers.queries import customers_owned_by
from services.sales.queries import activity_of
from web import db
from web.customers.pages import scope

bp = Blueprint("plans", __name__, url_prefix="/plans")


PLAN_DAYS = (dt.date(1900, 1, 1), dt.date(9998, 12, 31))
"""Days a plan can be shown for (the page links to the days around it)."""


def _day(value: str | None) -> dt.date:
    """The day asked for; today when none, not a date, or outside :data:`PLAN_DAYS`."""
    try:
        day = dt.date.fromisoformat(value) if value else zones.site_today()
    except ValueError:
        return zones.site_today()
    return day if PLAN_DAYS[0] <= day <= PLAN_DAYS[1] else zones.site_today()


def _back(day: dt.date, endpoint: str = "plans.mine"):
    return redirect(url_for(endpoint, day=day.isoformat()))


@bp.get("/")
@login_required
def mine():
    day = _day(request.args.get("day"))
    me = current_user.user
    customers = customers_owned_by(db.session(), me.id)
    return render_template("sales/plan.html", view=daily_plan(db.session(), me, day), kinds=ACTIVITY_KINDS,
                           customers=customers, day=day, one_day=dt.timedelta(days=1))


@bp.post("/activities")
@login_required
def add():
    day = _day(request.form.get("day"))
    customer = visible_customer(db.session(), scope(), request.form.get("customer_id", type=int) or 0)
    subject = request.form.get("subject", "").strip()
    kind = request.form.get("kind", "")
    if customer is None or not subject or kind not in ACTIVITY_KINDS:
        flash(_("Choose a customer, a kind and a subject."), "danger")
        return _back(day)
    plan_activity(db.session(), customer, current_user.user, kind, subject, day)
    db.commit()
    flash(_("Added to the plan."), "success")
    return _back(day)


@bp.post("/activities/<int:activity_id>/done")
@login_required
def done(activity_id: int):
    activity = activity_of(db.session(), activity_id, current_user.id)
    if activity is None:
        abort(404)
    form = request.form
    next_date = _day(form["next_action_date"]) if form.get("next_action_date") else None
    follow_up = complete_activity(db.session(), activity, form.get("outcome", "").strip(),
                                  next_action=form.get("next_action", "").strip(), next_action_date=next_date)
    db.commit()
    flash(_("Recorded. Follow-up planned for %(day)s.", day=formatting.date(next_date)) if follow_up
          else _("Recorded."), "success")
    return _back(activity.planned_for or zones.site_today())


@bp.post("/notes")
@login_required
def notes():
    day = _day(request.form.get("day"))
    save_plan_notes(db.session(), current_user.user, day, request.form.get("notes", ""))
    db.commit()
    flash(_("Notes saved."), "success")
    return _back(day)


@bp.get("/team")
@login_required
def team():
    day = _day(request.args.get("day"))
    people = subordinates(db.session(), current_user.user)
    views = [daily_plan(db.session(), person, day) for person in sorted(people, key=lambda u: u.display_name)]
    return render_template("sales/team_plans.html", views=views, day=day, one_day=dt.timedelta(days=1))


@bp.post("/team/<int:user_id>/comment")
@login_required
def comment(user_id: int):
    day = _day(request.form.get("day"))
    person = user_by_id(db.session(), user_id)
    if person is None or person.id not in subordinate_ids(db.session(), current_user.user.id):
        abort(404)
    comment_plan(db.session(), person, day, current_user.user, request.form.get("comment", "").strip())
    db.commit()
    flash(_("Comment on the day of %(name)s saved.", name=person.display_name), "success")
    return _back(day, "plans.team")
