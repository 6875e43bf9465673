"""Which language and time zone a request is served in, the switcher, and the browser scripts' messages.

Language: the user's own choice (account page or the switcher), else the site's (``CRM_LOCALE``; empty means
"follow the browser"), else the browser's ``Accept-Language``, else English. Someone not signed in keeps the
switcher's choice in their session. Time zone: the user's, else the site's (``CRM_TIMEZONE``).
"""

from __future__ import annotations

import hashlib
import json
from contextlib import AbstractContextManager
from functools import lru_cache

from babel import Locale
from babel.support import NullTranslations
from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    g,
    has_request_context,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import Babel, force_locale, get_locale, get_timezone, get_translations
from flask_login import current_user

import i18n
from i18n import zones
from i18n.catalogs import frontend_messages, stale_compiled, translation_directories
from web import db, template_gettext
from web.accounts.auth import may_be_signed_in
from web.redirects import safe_next

babel = Babel()
SESSION_KEY = "language"


def _user():
    """The signed-in user, without loading one for an anonymous visitor (see ``may_be_signed_in``)."""
    if not may_be_signed_in():
        return None
    return current_user.user if current_user and current_user.is_authenticated else None


def select_locale() -> Locale:
    """The language of this request (see the module's docstring)."""
    user = _user()
    if user is not None and user.language in i18n.LANGUAGES:
        return parsed_locale(user.language)
    if session.get(SESSION_KEY) in i18n.LANGUAGES:
        return parsed_locale(session[SESSION_KEY])
    if current_app.config["CRM_SITE_LOCALE_SET"]:
        return parsed_locale(current_app.config["BABEL_DEFAULT_LOCALE"])
    return parsed_locale(request.accept_languages.best_match(list(i18n.LANGUAGES), default="en"))


@lru_cache(maxsize=16)
def parsed_locale(name: str) -> Locale:
    """Babel's locale named ``name``, parsed once per process (Flask-Babel parses the name it is given on every
    request and in every ``force_locale`` block; a :class:`Locale` it takes as it is)."""
    return Locale.parse(name)


def force_parsed_locale(name: str) -> AbstractContextManager[None]:
    """Flask-Babel's ``force_locale`` with the locale parsed once per process (a notification per recipient)."""
    return force_locale(parsed_locale(name))


def select_timezone() -> str | None:
    """The user's time zone, or None for the site's."""
    user = _user()
    return user.timezone if user is not None and user.timezone else None


def _request_zone() -> str | None:
    """The request's time zone name (see :func:`select_timezone`), None outside a request."""
    if not has_request_context():
        return None
    babel_state = g._get_current_object().__dict__.get("_flask_babel")  # Flask-Babel's zone, once chosen
    tzinfo = getattr(babel_state, "babel_tzinfo", None)
    if tzinfo is None:
        if "babel" not in current_app.extensions:
            return None
        tzinfo = get_timezone()
    return str(tzinfo) if tzinfo is not None else None


_NO_TRANSLATIONS = NullTranslations()
_MEMO = "_crm_translations"
"""Where :func:`request_translations` keeps ``(locale, translations)`` on the application context's ``g``."""


def _request_locale() -> Locale | None:
    """Flask-Babel's locale of the current application context (what ``get_locale`` answers), read from
    its per-context namespace when it is already chosen; None outside an application context."""
    try:
        state = g._get_current_object()
    except RuntimeError:
        return None
    babel_state = state.__dict__.get("_flask_babel")
    return getattr(babel_state, "babel_locale", None) or get_locale()


def request_translations() -> NullTranslations:
    """Flask-Babel's translations of the current language, looked up once per application context and language.

    Flask-Babel's ``get_translations`` finds its context, the locale and the cache key (``str(locale)``) again
    for every message; a page translates a hundred or more. The result is kept with the locale object it was
    found for: Flask-Babel replaces that object in ``force_locale`` and ``refresh``, so a changed language
    is looked up afresh (and what Flask-Babel answers, a test's patched catalog included, is what is used).
    Outside an application context: no translations (the English source text), as Flask-Babel answers.
    """
    locale = _request_locale()
    if locale is None:
        return _NO_TRANSLATIONS
    state = g._get_current_object()
    memo = state.__dict__.get(_MEMO)
    if memo is not None and memo[0] is locale:
        return memo[1]
    translations = get_translations()
    setattr(state, _MEMO, (locale, translations))
    return translations


def _current_locale() -> str | None:
    """The request's language as the catalogs name it (``zh_CN``, not Babel's ``zh_Hans_CN``)."""
    locale = _request_locale()
    if locale is None:
        return None
    return f"{locale.language}_{locale.territory}" if locale.territory else locale.language


def html_lang() -> str:
    """The ``lang`` attribute of the page (``zh-CN``, ``en``)."""
    return (_current_locale() or "en").replace("_", "-")


def init_i18n(app: Flask, site_locale: str, site_timezone: str) -> None:
    """Set up Flask-Babel with the area catalogs and make :mod:`i18n` translate through it."""
    app.config["BABEL_DEFAULT_LOCALE"] = site_locale or "en"
    app.config["CRM_SITE_LOCALE_SET"] = bool(site_locale)
    app.config["BABEL_DEFAULT_TIMEZONE"] = site_timezone
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(translation_directories())
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    template_gettext.install(app, request_translations)
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.globals.update(html_lang=html_lang, languages=i18n.LANGUAGES, current_language=_current_locale,
                                 script_messages_url=_script_messages_url)
    app.context_processor(lambda: {"language_url": url_for("language.choose")})  # the switcher in base.html
    i18n.use(request_translations, _current_locale, force_parsed_locale)
    zones.use(_request_zone)
    if stale := stale_compiled():
        app.logger.warning("translations not compiled (run make catalogs): %s", ", ".join(map(str, stale)))
    app.register_blueprint(bp_language)


def _script_messages_url() -> str:
    """Where the page's browser scripts find their messages: a file named by its content, cached for a year."""
    locale = _current_locale() or "en"
    return url_for("language.script_messages", locale=locale, digest=_messages_script(locale)[1])


@lru_cache(maxsize=8)
def _messages_script(locale: str) -> tuple[bytes, str]:
    """The browser scripts' messages in ``locale`` as a script setting ``window.crmMessages`` (read by
    ``crmGettext`` in app.js), and its digest. Built once per language: about 30 KB, so not in every page."""
    messages = json.dumps(frontend_messages(locale), ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    body = f"window.crmMessages = {messages};\n".encode()
    return body, hashlib.sha256(body).hexdigest()[:16]


bp_language = Blueprint("language", __name__)


@bp_language.post("/language")
def choose():
    """The switcher: keep the chosen language for the user (or the session) and go back."""
    language = request.form.get("language", "")
    if language in i18n.LANGUAGES:
        session[SESSION_KEY] = language
        user = _user()
        if user is not None and user.language != language:
            user.language = language
            db.commit()
    return redirect(safe_next(request.form.get("next")))


@bp_language.get("/i18n/messages.<locale>.<digest>.js")
def script_messages(locale: str, digest: str) -> Response:
    """The browser scripts' messages (no sign-in needed: the login page's scripts use them too). The current digest
    may be cached for good; an old one (a page from before a new release) gets today's messages, not cached."""
    if locale not in i18n.LANGUAGES:
        abort(404)
    body, current = _messages_script(locale)
    response = Response(body, mimetype="text/javascript")
    if digest == current:
        response.cache_control.public = True
        response.cache_control.max_age = 365 * 24 * 3600
        response.cache_control.immutable = True
    else:
        response.cache_control.no_cache = True
    return response
