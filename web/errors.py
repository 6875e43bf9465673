"""Engine errors become clear answers: JSON for the API, a flashed message or error page for HTML."""

from __future__ import annotations

from flask import Flask, flash, jsonify, redirect, render_template, request

from engine.errors import Conflict, DeploymentError, EngineError, Forbidden, InvalidState, NotFound, TaskDataInvalid

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
            body = {"error": str(exc), "status": code}
            if isinstance(exc, TaskDataInvalid):
                body["fields"] = exc.errors
            if isinstance(exc, DeploymentError):
                body["problems"] = exc.problems
            return jsonify(body), code
        if code in (404, 403):
            return render_template("error.html", code=code, message=str(exc)), code
        flash(str(exc), "danger")
        return redirect(request.referrer or "/")

    for code, text in ((404, "Not found"), (403, "Forbidden"), (413, "File too large")):
        app.register_error_handler(code, _http_error(code, text))


def _http_error(code: int, text: str):
    def handler(exc):
        if wants_json():
            return jsonify({"error": text, "status": code}), code
        return render_template("error.html", code=code, message=text), code

    return handler
