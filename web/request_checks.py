"""Checks every request passes before a view sees it, so no view has to repeat them: no NUL characters in any text
(query string, form, JSON), query-string values bounded in length and whole numbers in them within the database's
range, JSON bodies not nested deeper than any client of this app needs, ids in URLs (``<int:...>``) at most
2**31 - 1 (ids are ``Integer`` columns). A request that fails gets 400 (JSON on the API, the error page
elsewhere), never a 500."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter

from crm.bounds import LARGEST_ID

MAX_QUERY_VALUE = 1_000
"""Characters in one query-string value (filters, search words, back links)."""
MAX_JSON_DEPTH = 32
"""Nesting of a JSON body: task data and form values are a few levels deep."""
FREE_TEXT = frozenset({"q"})
"""Query parameters holding search words, which may be long runs of digits (a bank reference)."""
_WHOLE_NUMBER = re.compile(r"\s*[+-]?\d+\s*", re.ASCII)


class BoundedIntConverter(IntegerConverter):
    """``<int:...>`` that matches only ids a database row can have (1 to 2**31 - 1); larger ones are 404."""

    def __init__(self, map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", LARGEST_ID)
        super().__init__(map, *args, **kwargs)


def bounded_ids(app: Flask) -> None:
    """Make ``<int:...>`` the bounded converter; call before any blueprint is registered."""
    app.url_map.converters["int"] = BoundedIntConverter


def register(app: Flask) -> None:
    """Run :func:`check_request` before every view."""
    app.before_request(check_request)


def check_request() -> None:
    """Refuse (400) a request whose query string, form or JSON body breaks the rules in the module docstring."""
    for key, value in request.args.items(multi=True):
        if "\x00" in key or "\x00" in value:
            abort(400, "Text must not contain NUL characters.")
        if len(value) > MAX_QUERY_VALUE:
            abort(400, f"The query parameter {key[:40]!r} is too long (at most {MAX_QUERY_VALUE:,} characters).")
        if key not in FREE_TEXT and _WHOLE_NUMBER.fullmatch(value) and abs(int(value)) > LARGEST_ID:
            abort(400, f"The query parameter {key[:40]!r} is out of range.")
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        if request.is_json:  # a JSON body is no form: werkzeug would find no fields, after setting up its parser
            _check_json()
            return
        for key, value in request.form.items(multi=True):
            if key is None:  # a multipart part without a name (werkzeug's key None; Flask-WTF would crash on it)
                abort(400, "A form field has no name.")
            if "\x00" in key or "\x00" in value:
                abort(400, f"The field {key[:40]!r} must not contain NUL characters.")


def _check_json() -> None:
    try:
        body = request.get_json(silent=True)
    except RecursionError:
        abort(400, f"The JSON body is nested too deeply (at most {MAX_JSON_DEPTH} levels).")
    problem = json_problem(body)
    if problem:
        abort(400, problem)


def json_problem(body: Any) -> str | None:
    """Why a parsed JSON body is refused (NUL in a string, nested too deeply), or None."""
    pending: list[tuple[Any, int]] = [(body, 1)]
    while pending:
        value, depth = pending.pop()
        if depth > MAX_JSON_DEPTH:
            return f"The JSON body is nested too deeply (at most {MAX_JSON_DEPTH} levels)."
        if isinstance(value, str):
            if "\x00" in value:
                return "Text must not contain NUL characters."
        elif isinstance(value, dict):
            pending.extend((key, depth) for key in value)
            pending.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            pending.extend((item, depth + 1) for item in value)
    return None
