"""Every request has an id: the client's ``X-Request-Id`` when sane, else a new one.

It is answered in the ``X-Request-Id`` header, put in JSON error bodies, carried by every log line
of the request (:mod:`config.logs`) and stored with the jobs the request writes, whose log lines
carry it too.
"""

from __future__ import annotations

from flask import Flask, Response, g, request

from config.logs import accepted_request_id, request_id

HEADER = "X-Request-Id"


def current() -> str | None:
    """This request's id (None outside a request)."""
    return g.get("request_id")


def register(app: Flask) -> None:
    @app.before_request
    def take_request_id() -> None:
        g.request_id = accepted_request_id(request.headers.get(HEADER))
        g.request_id_token = request_id.set(g.request_id)

    @app.after_request
    def answer_request_id(response: Response) -> Response:
        if "request_id" in g:
            response.headers[HEADER] = g.request_id
        return response

    @app.teardown_request
    def forget_request_id(_exc=None) -> None:
        token = g.pop("request_id_token", None)
        if token is not None:
            try:
                request_id.reset(token)
            except ValueError:  # torn down in another context: it ends with that context anyway
                pass
