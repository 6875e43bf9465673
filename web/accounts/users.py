"""Admin pages for users, their roles, managers and teams."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from crm.accounts.access import create_user, set_password, username_problems
from crm.accounts.passwords import password_problems
from crm.accounts.sessions import change_active, change_roles
from crm.accounts.users import ROLES, role_labels
from i18n import _
from services.accounts import directory
from web import db
from web.accounts.auth import require_role, sign_in

bp = Blueprint("admin_users", __name__, url_prefix="/admin/users")


@bp.before_request
@login_required
def only_admins():
    require_role("administrator")


@bp.get("/")
def index():
    users = directory.users_by_username(db.session())
    teams = directory.teams_by_name(db.session())
    return render_template("accounts/users.html", users=users, roles=role_labels(), teams=teams)


@bp.post("/")
def create():
    form = request.form
    username = form.get("username", "").strip()
    if not username or not form.get("password"):
        flash(_("Username and password are required."), "danger")
        return redirect(url_for("admin_users.index"))
    problems = username_problems(username) + password_problems(username, form["password"])
    if problems:
        flash(" ".join(problems), "danger")
        return redirect(url_for("admin_users.index"))
    if directory.user_named(db.session(), username):
        flash(_("User %(user)s already exists.", user=username), "danger")
        return redirect(url_for("admin_users.index"))
    manager = directory.user_by_id(db.session(), form.get("manager_id", type=int))
    team = directory.team_by_id(db.session(), form.get("team_id", type=int))
    create_user(db.session(), username, form["password"], form.get("display_name") or username,
                [r for r in form.getlist("roles") if r in ROLES], email=form.get("email", "").strip(),
                phone=form.get("phone", "").strip(), manager=manager, team=team)
    db.commit()
    flash(_("User %(user)s created.", user=username), "success")
    return redirect(url_for("admin_users.index"))


@bp.post("/<int:user_id>")
def update(user_id: int):
    session = db.session()
    user = directory.user_by_id(session, user_id)
    if user is None:
        flash(_("No such user."), "danger")
        return redirect(url_for("admin_users.index"))
    form = request.form
    problems = password_problems(user.username, form["password"]) if form.get("password") else []
    if problems:
        flash(_("Password of %(user)s not changed: %(problems)s", user=user.username, problems=" ".join(problems)),
              "danger")
        return redirect(url_for("admin_users.index"))
    keys = [r for r in form.getlist("roles") if r in ROLES]
    change_roles(user, directory.roles_with_keys(session, keys))
    change_active(user, form.get("active") == "on")
    user.manager_id = form.get("manager_id", type=int) or None
    if user.manager_id == user.id:
        user.manager_id = None
    user.team_id = form.get("team_id", type=int) or None
    user.email, user.phone = form.get("email", "").strip(), form.get("phone", "").strip()
    user.display_name = form.get("display_name", "").strip() or user.display_name
    if form.get("password"):
        set_password(user, form["password"])
    if user.id == current_user.id and user.active:
        sign_in(user)  # an admin editing themselves keeps this session (the others end)
    db.commit()
    flash(_("User %(user)s updated.", user=user.username), "success")
    return redirect(url_for("admin_users.index"))


@bp.post("/teams")
def create_team():
    name = request.form.get("name", "").strip()
    if not name or directory.team_name_taken(db.session(), name):
        flash(_("Give the team a name that is not taken."), "danger")
    else:
        directory.add_team(db.session(), name)
        db.commit()
        flash(_("Team %(team)s created.", team=name), "success")
    return redirect(url_for("admin_users.index") + "#teams")


@bp.post("/teams/<int:team_id>")
def rename_team(team_id: int):
    session = db.session()
    team = directory.team_by_id(session, team_id)
    name = request.form.get("name", "").strip()
    if team is None or not name or directory.team_name_taken(session, name, other_than=team_id):
        flash(_("Give the team a name that is not taken."), "danger")
    else:
        team.name = name[:100]
        db.commit()
        flash(_("Team renamed to %(team)s.", team=name), "success")
    return redirect(url_for("admin_users.index") + "#teams")
