"""``Idempotency-Key`` on writes: a retried request gets the first answer instead of doing the work again.

API clients send the ``Idempotency-Key`` header; HTML forms carry a hidden ``idempotency_key`` field
generated when the form is rendered (:func:`new_key`). A decorated view's commit is held back
(:func:`web.db.commit` only flushes) until its response is built; the response is then stored with the
key in the same transaction as the work, and committed. So a response never depends on a query after
the commit, and a retry — after a timeout, a dropped connection, a double click — is answered from
the store: the same key and request within 24 h → the stored answer; a different request → 422.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from functools import wraps

from flask import Response, current_app, g, request, session
from flask_login import current_user

from crm import idempotency

from . import db

HEADER = "Idempotency-Key"
FORM_FIELD = "idempotency_key"
REPLAYED_HEADER = "Idempotent-Replayed"
UNSIGNED_FIELDS = {"csrf_token", FORM_FIELD}


class InvalidKey(ValueError):
    """The key is empty, too long or not printable ASCII."""


def new_key() -> str:
    """A fresh key for a form being rendered (32 random hex digits)."""
    return secrets.token_hex(16)


def offered_key() -> str | None:
    """The request's key (header, else form field), validated; None when it sent none."""
    key = request.headers.get(HEADER)
    if key is None and request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        key = request.form.get(FORM_FIELD)
    if key is None:
        return None
    if not 1 <= len(key) <= idempotency.MAX_KEY_LENGTH or not key.isascii() or not key.isprintable():
        raise InvalidKey(f"{HEADER} must be 1-{idempotency.MAX_KEY_LENGTH} printable ASCII characters")
    return key


def fingerprint() -> str:
    """What the request asks for: method, path and body (JSON canonically; form fields and file names)."""
    if request.is_json:
        body = json.dumps(request.get_json(silent=True), sort_keys=True, default=str)
    else:
        fields = sorted((k, v) for k, values in request.form.lists() for v in values if k not in UNSIGNED_FIELDS)
        files = sorted((k, f.filename or "", f.mimetype) for k, f in request.files.items(multi=True))
        body = json.dumps([fields, files])
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def idempotent(view):
    """Hold the view's commit until its response is built; with a key, store and replay that response."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        key = offered_key() if current_user.is_authenticated else None  # the view refuses strangers
        reservation = None
        if key is not None:
            found = idempotency.reserve(db.session(), current_user.username, key, fingerprint())
            if isinstance(found, idempotency.StoredAnswer):
                return _replay(found)
            reservation = found
        g.hold_commit = True
        try:
            response = current_app.make_response(view(*args, **kwargs))
        finally:
            g.hold_commit = False
        if not g.pop("commit_held", False):  # the view wrote nothing (or refused): nothing to keep
            db.session().rollback()
            return response
        if reservation is not None:
            idempotency.answer(reservation, response.status_code, response.content_type or "",
                               response.get_data(as_text=True), response.headers.get("Location"))
        try:
            db.commit()
        except Exception:
            session.pop("_flashes", None)  # "done" was flashed for work that is not saved
            raise
        return response

    return wrapper


def _replay(answer: idempotency.StoredAnswer) -> Response:
    response = Response(answer.body, status=answer.status_code, content_type=answer.content_type or None)
    if answer.location:
        response.headers["Location"] = answer.location
    response.headers[REPLAYED_HEADER] = "true"
    return response
