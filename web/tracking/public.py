"""The addresses contacts reach from outside: the e-mail open pixel, tracked links and website page visits.

No sign-in and no CSRF token (mail clients and the company website call them); every request carries a signed
token (:mod:`services.tracking.tokens`), so nothing can be recorded for a contact who did not get one. Page
visits are accepted only from the website origins in ``CRM_TRACKING_ORIGINS`` (CORS) and only for a visitor
token handed out by a tracked link, at most ``CRM_TRACKING_VISITS_PER_HOUR`` per contact.
"""

from __future__ import annotations

import base64
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import Blueprint, Response, abort, current_app, jsonify, redirect, request

from services.tracking import events
from services.tracking.tokens import TrackingTokens
from web import db

bp = Blueprint("tracking", __name__, url_prefix="/t")
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
VISITOR_PARAMETER = "crm_t"
"""The query parameter that carries the visitor token to the company website (read by crm-track.js)."""


def tokens() -> TrackingTokens:
    return TrackingTokens(current_app.config["SECRET_KEY"])


def _settings():
    return current_app.extensions["crm"].settings


@bp.get("/o/<token>.gif")
def pixel(token: str):
    """An e-mail was opened: a transparent 1×1 GIF, never cached."""
    opened = tokens().read_open(token)
    if opened is None or not events.record_open(db.session(), opened):
        abort(404)
    db.commit()
    return Response(PIXEL, mimetype="image/gif", headers={"Cache-Control": "no-store, private"})


@bp.get("/c/<token>")
def click(token: str):
    """A tracked link: record the click and go on to the target; the company website also gets the visitor
    token, so its pages can tell who is reading."""
    clicked = tokens().read_click(token)
    if clicked is None or not events.record_click(db.session(), clicked):
        abort(404)
    db.commit()
    target = clicked.url
    parts = urlsplit(target)
    if f"{parts.scheme}://{parts.netloc}" in _settings().tracking_origins:
        query = [*parse_qsl(parts.query, keep_blank_values=True),
                 (VISITOR_PARAMETER, tokens().visitor_token(clicked.contact_id))]
        target = urlunsplit(parts._replace(query=urlencode(query)))
    return redirect(target, code=302)


def _cors(response: Response, origin: str) -> Response:
    response.headers["Access-Control-Allow-Origin"] = origin
    response.headers["Access-Control-Allow-Methods"] = "POST"
    response.headers["Access-Control-Allow-Headers"] = "Content-Type"
    response.headers["Vary"] = "Origin"
    return response


@bp.route("/visit", methods=["POST", "OPTIONS"])
def visit():
    """A page of the company website seen by an identified contact (``{"token", "url"}``, JSON or text)."""
    origin = request.headers.get("Origin", "")
    if origin not in _settings().tracking_origins:
        return jsonify(error="origin not allowed"), 403
    if request.method == "OPTIONS":
        return _cors(Response(status=204), origin)
    payload = request.get_json(force=True, silent=True)
    if not isinstance(payload, dict) or not isinstance(payload.get("url"), str):
        return _cors(jsonify(error="send {token, url}"), origin), 400
    contact_id = tokens().read_visitor(payload.get("token"))
    if contact_id is None:
        return _cors(jsonify(error="unknown visitor"), origin), 404
    outcome = events.record_visit(db.session(), contact_id, payload["url"], _settings().tracking_visits_per_hour)
    if outcome == "limited":
        return _cors(jsonify(error="too many visits"), origin), 429
    if outcome == "unknown":
        return _cors(jsonify(error="unknown visitor or page"), origin), 404
    db.commit()
    return _cors(Response(status=204), origin)
