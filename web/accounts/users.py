"""Admin pages for users, their roles, managers and teams."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required
from sqlalchemy import select

from crm.accounts.access import create_user, set_password
from crm.accounts.users import ROLES, Role, Team, User
from web import db
from web.accounts.auth import require_role

bp = Blueprint("admin_users", __name__, url_prefix="/admin/users")


@bp.before_request
@login_required
def only_admins():
    require_role("administrator")


@bp.get("/")
def index():
    users = list(db.session().scalars(select(User).order_by(User.username)))
    teams = list(db.session().scalars(select(Team).order_by(Team.name)))
    return render_template("accounts/users.html", users=users, roles=ROLES, teams=teams)


@bp.post("/")
def create():
    form = request.form
    username = form.get("username", "").strip()
    if not username or not form.get("password"):
        flash("Username and password are required.", "danger")
        return redirect(url_for("admin_users.index"))
    if db.session().scalar(select(User).where(User.username == username)):
        flash(f"User {username} already exists.", "danger")
        return redirect(url_for("admin_users.index"))
    manager = db.session().get(User, form.get("manager_id", type=int)) if form.get("manager_id") else None
    team = db.session().get(Team, form.get("team_id", type=int)) if form.get("team_id") else None
    create_user(db.session(), username, form["password"], form.get("display_name") or username,
                [r for r in form.getlist("roles") if r in ROLES], email=form.get("email", "").strip(),
                phone=form.get("phone", "").strip(), manager=manager, team=team)
    db.commit()
    flash(f"User {username} created.", "success")
    return redirect(url_for("admin_users.index"))


@bp.post("/<int:user_id>")
def update(user_id: int):
    session = db.session()
    user = session.get(User, user_id)
    if user is None:
        flash("No such user.", "danger")
        return redirect(url_for("admin_users.index"))
    form = request.form
    keys = [r for r in form.getlist("roles") if r in ROLES]
    user.roles = list(session.scalars(select(Role).where(Role.key.in_(keys))))
    user.active = form.get("active") == "on"
    user.manager_id = form.get("manager_id", type=int) or None
    if user.manager_id == user.id:
        user.manager_id = None
    user.team_id = form.get("team_id", type=int) or None
    user.email, user.phone = form.get("email", "").strip(), form.get("phone", "").strip()
    user.display_name = form.get("display_name", "").strip() or user.display_name
    if form.get("password"):
        set_password(user, form["password"])
    db.commit()
    flash(f"User {user.username} updated.", "success")
    return redirect(url_for("admin_users.index"))


@bp.post("/teams")
def create_team():
    name = request.form.get("name", "").strip()
    if not name or db.session().scalar(select(Team).where(Team.name == name)):
        flash("Give the team a name that is not taken.", "danger")
    else:
        db.session().add(Team(name=name[:100]))
        db.commit()
        flash(f"Team {name} created.", "success")
    return redirect(url_for("admin_users.index") + "#teams")


@bp.post("/teams/<int:team_id>")
def rename_team(team_id: int):
    session = db.session()
    team = session.get(Team, team_id)
    name = request.form.get("name", "").strip()
    if team is None or not name or session.scalar(select(Team).where(Team.name == name, Team.id != team_id)):
        flash("Give the team a name that is not taken.", "danger")
    else:
        team.name = name[:100]
        db.commit()
        flash(f"Team renamed to {name}.", "success")
    return redirect(url_for("admin_users.index") + "#teams")
