"""Headers on every response, and the session cookie marked ``Secure`` when the request came over HTTPS.

The Content-Security-Policy allows scripts from this site only (no inline script, no ``eval``): templates
hook behaviour through ``data-`` attributes that ``static/js/app.js`` reads. Styles may be inline (bpmn-js,
dmn-js and Bootstrap set them). A view that needs a stricter policy (a rendered document) sets its own
header; these are only defaults.
"""

from __future__ import annotations

from flask import Flask, Response, g, request
from flask.sessions import SecureCookieSessionInterface, SessionMixin

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


class HttpsAwareSessionInterface(SecureCookieSessionInterface):
    """The session cookie gets ``Secure`` whenever the request came over HTTPS (behind a proxy: see
    ``CRM_PROXY_HOPS``), so it is never sent back over plain HTTP. A request signed in by a bearer token
    leaves the cookie alone (it is not read either: ``web.accounts.auth.register``)."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(super().get_cookie_secure(app) or request.is_secure)

    def should_set_cookie(self, app: Flask, session: SessionMixin) -> bool:
        return not g.get("bearer_authenticated") and super().should_set_cookie(app, session)


def register(app: Flask) -> None:
    app.session_interface = HttpsAwareSessionInterface()

    @app.after_request
    def security_headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        return response
