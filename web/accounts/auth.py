"""Login, logout, and who the current user is (session cookie or API bearer token)."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from itsdangerous import BadSignature, URLSafeTimedSerializer
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired

from crm.accounts.access import LoginThrottled, authenticate
from crm.accounts.users import User
from engine.runtime import Actor
from services.accounts import directory
from web import db
from web.extensions import login_manager

bp = Blueprint("auth", __name__)
TOKEN_MAX_AGE = dt.timedelta(hours=12)


class LoginUser:
    """Flask-Login's view of a :class:`crm.accounts.users.User`."""

    is_anonymous = False

    def __init__(self, user: User):
        self.user = user

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.user.active

    def get_id(self) -> str:
        return str(self.user.id)

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def username(self) -> str:
        return self.user.username

    @property
    def display_name(self) -> str:
        return self.user.display_name

    @property
    def role_keys(self) -> frozenset[str]:
        return self.user.role_keys

    def has_role(self, *keys: str) -> bool:
        return bool(self.user.role_keys & set(keys))


def actor() -> Actor:
    """The engine's view of the current user."""
    return Actor(current_user.username, current_user.role_keys)


def require_role(*keys: str) -> None:
    """Abort with 403 unless the current user holds one of ``keys``."""
    if not current_user.has_role(*keys):
        abort(403)


@login_manager.user_loader
def load_user(user_id: str) -> LoginUser | None:
    """The signed-in user with their roles and team, in one statement (pages read all three)."""
    user = directory.signed_in_user(db.session(), int(user_id))
    return LoginUser(user) if user is not None and user.active else None


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(db.platform().settings.secret_key, salt="api-token")


def issue_token(user: User) -> str:
    """A signed bearer token naming the user (stateless: any web process can check it)."""
    return _serializer().dumps({"uid": user.id})


@login_manager.request_loader
def load_user_from_token(req) -> LoginUser | None:
    header = req.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    try:
        payload = _serializer().loads(header[7:], max_age=int(TOKEN_MAX_AGE.total_seconds()))
    except BadSignature:
        return None
    return load_user(str(payload["uid"]))


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired()])
    password = PasswordField("Password", validators=[DataRequired()])


def check_credentials(username: str, password: str) -> User | None:
    """Authenticate with the database-backed throttle; commits the attempt either way."""
    settings = db.platform().settings
    user = authenticate(db.session(), username, password, settings.login_attempts_per_15min,
                        dt.timedelta(minutes=15))
    db.commit()
    return user


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = check_credentials(form.username.data.strip(), form.password.data)
        except LoginThrottled as exc:
            flash(str(exc), "danger")
            return render_template("accounts/login.html", form=form), 429
        if user is None:
            flash("Wrong username or password.", "danger")
            return render_template("accounts/login.html", form=form), 401
        session.permanent = True
        login_user(LoginUser(user))
        target = request.args.get("next", "")
        return redirect(target if target.startswith("/") and not target.startswith("//") else url_for("worklist.index"))
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    logout_user()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/")
def home():
    return redirect(url_for("worklist.index") if current_user.is_authenticated else url_for("auth.login"))
