"""Errors become clear answers: JSON for the API (every status, a 500 included, with the request id),
a flashed message or an error page for HTML."""

from __future__ import annotations

from flask import Flask, flash, jsonify, redirect, render_template, request
from werkzeug.exceptions import BadRequest, HTTPException

from crm.bounds import ValueOutOfBounds
from crm.idempotency import KeyReused
from engine.errors import Conflict, DeploymentError, EngineError, Forbidden, InvalidState, NotFound, TaskDataInvalid
from i18n import _, _l

from . import db, request_ids
from .idempotency import InvalidKey
from .redirects import safe_next

STATUS = {NotFound: 404, Forbidden: 403, Conflict: 409, InvalidState: 409, TaskDataInvalid: 422, DeploymentError: 422}


def status_of(exc: EngineError) -> int:
    for cls, code in STATUS.items():
        if isinstance(exc, cls):
            return code
    return 400


def wants_json() -> bool:
    return request.path.startswith("/api/")


def register(app: Flask) -> None:
    @app.errorhandler(EngineError)
    def engine_error(exc: EngineError):
        code = status_of(exc)
        if wants_json():
            body = error_body(str(exc), code)
            if isinstance(exc, TaskDataInvalid):
                body["fields"] = exc.errors
            if isinstance(exc, DeploymentError):
                body["problems"] = exc.problems
            return jsonify(body), code
        if code in (404, 403):
            return render_template("error.html", code=code, message=str(exc)), code
        flash(str(exc), "danger")
        return redirect(safe_next(request.referrer))

    @app.errorhandler(KeyReused)
    @app.errorhandler(InvalidKey)
    def idempotency_key_error(exc: Exception):
        code = 422 if isinstance(exc, KeyReused) else 400
        if wants_json():
            return jsonify(error_body(str(exc), code)), code
        flash(_("%(problem)s. Open the form again to send a new request.", problem=exc), "danger")
        return redirect(safe_next(request.referrer))

    @app.errorhandler(ValueOutOfBounds)
    def out_of_bounds(exc: ValueOutOfBounds):
        """A value no input check caught does not fit its column (crm.bounds): refused, nothing stored."""
        db.session().rollback()
        if wants_json():
            return jsonify({**error_body(str(exc), 422), "fields": exc.errors}), 422
        fields = "; ".join(f"{name.rsplit('.', 1)[-1].replace('_', ' ').capitalize()}: {' '.join(texts)}"
                           for name, texts in exc.errors.items())
        flash(_("Not saved: %(fields)s", fields=fields), "danger")
        return redirect(safe_next(request.referrer))

    @app.errorhandler(OverflowError)
    def out_of_range(exc: OverflowError):
        """A number or date beyond what Python or the database holds (``?day=9999-12-31`` plus a day)."""
        db.session().rollback()
        return http_error(BadRequest(_("A number or date is out of range.")))

    @app.errorhandler(RecursionError)
    def too_deep(exc: RecursionError):
        """Input nested too deeply to read (JSON, XML)."""
        db.session().rollback()
        return http_error(BadRequest(_("The input is nested too deeply.")))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        """Every HTTP error, 500 included (an unhandled exception arrives here as one, already logged)."""
        code = exc.code or 500
        if wants_json():
            message = exc.description if code == 400 else str(API_TEXTS.get(code, exc.name))
            return jsonify(error_body(message, code)), code
        if code in PAGE_TEXTS:
            return render_template("error.html", code=code, message=str(PAGE_TEXTS[code])), code
        return exc


PAGE_TEXTS = {403: _l("Forbidden"), 404: _l("Not found"), 413: _l("File too large")}
API_TEXTS = {**PAGE_TEXTS, 500: _l("internal server error")}


def error_body(message: str, code: int) -> dict:
    """The API's error object: message, status and the request id to quote to support."""
    return {"error": message, "status": code, "request_id": request_ids.current()}
