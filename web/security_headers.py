"""Headers on every response, and the session cookie marked ``Secure`` when the request came over HTTPS.

The Content-Security-Policy allows scripts from this site only (no inline script, no ``eval``): templates
hook behaviour through ``data-`` attributes that ``static/js/app.js`` reads. Styles may be inline (bpmn-js,
dmn-js and Bootstrap set them). A view that needs a stricter policy (a rendered document) sets its own
header; these are only defaults.
"""

from __future__ import annotations

from flask import Flask, Response, g, request
from flask.sessions import SecureCookieSessionInterface, SessionMixin
from itsdangerous import URLSafeTimedSerializer

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
HSTS = "max-age=31536000"
_DEFAULTS = tuple((name.lower(), name, value) for name, value in HEADERS.items())


class HttpsAwareSessionInterface(SecureCookieSessionInterface):
    """The session cookie gets ``Secure`` whenever the request came over HTTPS (behind a proxy: see
    ``CRM_PROXY_HOPS``), so it is never sent back over plain HTTP. A request signed in by a bearer token
    leaves the cookie alone (it is not read either: ``web.accounts.auth.register``)."""

    _built: tuple[tuple, URLSafeTimedSerializer | None] | None = None
    """The keys the signing serializer was built for, and the serializer."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(super().get_cookie_secure(app) or request.is_secure)

    def should_set_cookie(self, app: Flask, session: SessionMixin) -> bool:
        return not g.get("bearer_authenticated") and super().should_set_cookie(app, session)

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        """Flask's serializer, built once per set of keys (Flask builds it twice a request: to read the cookie and
        to write it); a changed ``SECRET_KEY`` or ``SECRET_KEY_FALLBACKS`` builds a new one."""
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        built = self._built
        if built is None or built[0] != keys:
            built = self._built = (keys, super().get_signing_serializer(app))
        return built[1]


def register(app: Flask) -> None:
    app.session_interface = HttpsAwareSessionInterface()

    @app.after_request
    def security_headers(response: Response) -> Response:
        """Add each of :data:`HEADERS` the view did not set (the headers' names read once, not per header)."""
        present = {name.lower() for name, _ in response.headers.items()}
        response.headers.extend([(name, value) for lower, name, value in _DEFAULTS if lower not in present])
        if request.is_secure and "strict-transport-security" not in present:
            response.headers["Strict-Transport-Security"] = HSTS
        return response
