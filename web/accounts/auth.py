"""Login, logout, and who the current user is (session cookie or API bearer token)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from flask import Blueprint, Flask, abort, flash, g, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from itsdangerous import BadSignature, URLSafeTimedSerializer
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired

from crm.accounts.sessions import end_all_sessions
from crm.accounts.signin import LoginThrottled, Throttle, authenticate
from crm.accounts.users import User
from engine.runtime import Actor
from i18n import _
from services.accounts import directory
from web import db
from web.errors import error_body
from web.extensions import login_manager
from web.redirects import safe_next

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
        """Stored in the session cookie: the user id and their session epoch."""
        return session_id(self.user)

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


def session_id(user: User) -> str:
    """What the session cookie names: the user and their session epoch (``"<id>.<epoch>"``)."""
    return f"{user.id}.{user.session_epoch}"


@login_manager.user_loader
def load_user(session_user: str) -> LoginUser | None:
    """The signed-in user of a session cookie, if it is still theirs (active, epoch unchanged).

    Loads their roles and team in one statement (pages read all three).
    """
    user_id, _, epoch = session_user.partition(".")
    if not (user_id.isdigit() and epoch.isdigit()):
        return None
    return _current_user(int(user_id), int(epoch))


def _current_user(user_id: int, epoch: int) -> LoginUser | None:
    user = directory.signed_in_user(db.session(), user_id)
    if user is None or not user.active or user.session_epoch != epoch:
        return None
    return LoginUser(user)


def _serializer() -> URLSafeTimedSerializer:
    return _token_serializer(db.platform().settings.secret_key)


@lru_cache(maxsize=4)
def _token_serializer(secret_key: str) -> URLSafeTimedSerializer:
    """The API tokens' serializer for ``secret_key``, built once per process (every API request checks a token)."""
    return URLSafeTimedSerializer(secret_key, salt="api-token")


def issue_token(user: User) -> str:
    """A signed bearer token naming the user and their session epoch (any web process can check it)."""
    return _serializer().dumps({"uid": user.id, "ep": user.session_epoch})


def user_of_token(token: str) -> LoginUser | None:
    """The user a bearer token signs in: signed by us, younger than 12 hours, epoch still theirs."""
    try:
        payload = _serializer().loads(token, max_age=int(TOKEN_MAX_AGE.total_seconds()))
    except BadSignature:
        return None
    if not isinstance(payload, dict):
        return None
    user_id, epoch = payload.get("uid"), payload.get("ep")
    if not (type(user_id) is int and type(epoch) is int):
        return None
    return _current_user(user_id, epoch)


OPERATORS_BLUEPRINT = "operations"
"""``/healthz``, ``/readyz``, ``/metrics``: no user behind them; a bearer there is the metrics token."""


def register(app: Flask) -> None:
    """A request is bearer-authenticated or cookie-authenticated, never both.

    With ``Authorization: Bearer …`` the token alone decides who is asking (the session cookie is not
    read); an invalid or expired token is a 401, whatever cookie comes with it. Without one, the session
    cookie decides, and writes need the CSRF token (``web.api.routes`` asks for it on the API).
    """
    @app.before_request
    def bearer_or_cookie():
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or request.blueprint == OPERATORS_BLUEPRINT:
            return None  # the probes need no user; /metrics checks its own token (web.operations)
        user = user_of_token(token.strip())
        if user is None:
            return (jsonify(error_body("invalid or expired bearer token", 401)), 401,
                    {"WWW-Authenticate": 'Bearer error="invalid_token"'})
        g._login_user = user  # Flask-Login's current_user: set, so the session cookie is never consulted
        g.bearer_authenticated = True
        return None


def bearer_authenticated() -> bool:
    """Whether this request was signed in by a valid bearer token (no CSRF token needed then)."""
    return bool(g.get("bearer_authenticated"))


def may_be_signed_in() -> bool:
    """Whether the request carries a session sign-in or a bearer token; checks that skip anonymous visitors ask
    this before ``current_user`` (loading it for an anonymous session makes Flask-Login's strong session
    protection clear the remember cookie, e.g. on the sign-in answer itself)."""
    return "_user_id" in session or request.authorization is not None


def sign_in(user: User) -> None:
    """Start (or renew, after a change that ended their sessions) the browser session of ``user``."""
    session.permanent = True
    login_user(LoginUser(user))


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired()])
    password = PasswordField("Password", validators=[DataRequired()])


def check_credentials(username: str, password: str) -> User | None:
    """Authenticate with the database-backed throttle; commits the attempt either way."""
    settings = db.platform().settings
    throttle = Throttle(settings.login_attempts_per_15min, settings.login_attempts_per_address_15min,
                        dt.timedelta(minutes=15))
    user = authenticate(db.session(), username, password, request.remote_addr or "", throttle)
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
            flash(_("Wrong username or password."), "danger")
            return render_template("accounts/login.html", form=form), 401
        sign_in(user)
        return redirect(safe_next(request.args.get("next"), url_for("worklist.index")))
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Sign out everywhere: this and every other session and API token of the user end."""
    end_all_sessions(current_user.user)
    db.commit()
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/")
def home():
    return redirect(url_for("worklist.index") if current_user.is_authenticated else url_for("auth.login"))
