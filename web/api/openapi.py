"""The API's OpenAPI 3.1 document: the process and task operations written here, the records' operations
generated from their definitions (:mod:`web.api.records.docs`); a test checks every route is in it."""

from __future__ import annotations

from services.processes.worklist import COUNT_CAP
from web.api.records.docs import record_openapi

_ERROR = {"$ref": "#/components/schemas/Error"}


def _op(summary: str, *, body: str | None = None, ok: int = 200, errors: tuple[int, ...] = (401, 404),
        returns: str | dict | None = None) -> dict:
    """One operation; ``returns`` is a schema reference or a schema (default: an object).

    Every operation may answer 400: web/request_checks.py refuses malformed requests before any view runs.
    """
    schema = returns if isinstance(returns, dict) else {"$ref": returns} if returns else {"type": "object"}
    responses = {str(ok): {"description": "OK", "content": {"application/json": {"schema": schema}}}}
    for code in (400, *errors):
        responses[str(code)] = {"description": "Error", "content": {"application/json": {"schema": _ERROR}}}
    operation = {"summary": summary, "responses": responses}
    if body:
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": {"$ref": body}}}}
    return operation


def _path_param(name: str, kind: str = "string") -> list[dict]:
    return [{"name": name, "in": "path", "required": True, "schema": {"type": kind}}]


IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key", "in": "header", "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 200},
    "description": "Makes a retry safe: the first request with a key does the work and its answer is stored "
                   "with it; the same key with the same request (method, path, body) within 24 hours gets that "
                   "answer again (header `Idempotent-Replayed: true`) without doing the work twice; the same key "
                   "with a different request answers 422. Keys are per user; a request that failed (4xx, 5xx) "
                   "stores nothing, so its key can be sent again. Printable ASCII; a malformed key answers 400.",
}


def _idempotent(operation: dict) -> dict:
    """An operation that accepts ``Idempotency-Key`` (400 for a malformed key, 422 for a reused one)."""
    responses = dict(operation["responses"])
    for code in (400, 422):
        responses.setdefault(str(code), {"description": "Error", "content": {"application/json": {"schema": _ERROR}}})
    return {**operation, "parameters": [IDEMPOTENCY_KEY], "responses": responses}


OPENAPI: dict = {
    "openapi": "3.1.0",
    "info": {"title": "Process CRM API", "version": "1.0.0",
             "description": "Authenticate with the session cookie (browser; send X-CSRFToken on POST) or "
                            "`Authorization: Bearer <token>` from POST /api/auth/token. Every answer carries "
                            "`X-Request-Id` (yours if you send one of 8-64 characters `A-Za-z0-9._:-`, else a new "
                            "one); errors, a 500 included, are the Error object with that `request_id`. Writes "
                            "that may be retried accept an `Idempotency-Key` header. Any request may answer 400 when "
                            "it is malformed (NUL characters, over-long query values, ids out of range, JSON nested "
                            "too deep). Times: answers give every date-time in UTC as ISO 8601 with `Z` "
                            "(`2026-12-05T01:00:00Z`); a date-time you send may carry an offset "
                            "(`2026-12-05T09:00+08:00`, `...Z`), and one without an offset is read as wall-clock time "
                            "in your own time zone (your account's, else the site's `CRM_TIMEZONE`). Dates "
                            "(`YYYY-MM-DD`) are calendar days and never shift."},
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"},
                            "cookie": {"type": "apiKey", "in": "cookie", "name": "session"}},
        "schemas": {
            "Error": {"type": "object", "properties": {
                "error": {"type": "string"}, "status": {"type": "integer"},
                "request_id": {"type": "string", "description": "Quote it to support: the logs carry it"},
                "fields": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
            }},
            "Credentials": {"type": "object", "required": ["username", "password"],
                            "properties": {"username": {"type": "string"}, "password": {"type": "string"}}},
            "Data": {"type": "object", "description": "Field id -> value, as the form definition describes "
                                                      "(a file field's value is a FileValue from POST /api/uploads)"},
            "FileValue": {"type": "object", "required": ["name", "size", "content_type", "storage_key"],
                          "properties": {"name": {"type": "string"}, "size": {"type": "integer"},
                                         "content_type": {"type": "string"}, "storage_key": {"type": "string"}}},
            "ListedTask": {"type": "object", "description": "A task (as GET /api/tasks/{id} names its fields) and "
                           "what it is about", "properties": {
                "customer_name": {"type": ["string", "null"], "description": "The task's customer, if any"},
                "key_figure": {"type": ["object", "null"], "description": "The figure of the process's record "
                               "(amount, budget, hours); null when the process declares none or it is not set yet",
                               "required": ["label", "unit", "value", "text"], "properties": {
                                   "label": {"type": "string"}, "unit": {"enum": ["money", "hours"]},
                                   "value": {"type": "string", "description": "Decimal as text"},
                                   "text": {"type": "string", "description": "Formatted for display"}}},
            }},
            "TaskList": {"type": "object", "required": ["mine", "queue", "counts", "counts_are_lower_bounds",
                                                        "has_next", "page"], "properties": {
                "mine": {"type": "array", "items": {"$ref": "#/components/schemas/ListedTask"},
                         "description": "One page of my tasks"},
                "queue": {"type": "array", "items": {"$ref": "#/components/schemas/ListedTask"},
                          "description": "One page of my lanes' unassigned tasks within my data scope"},
                "counts": {"type": "object", "description": "Tasks in each list (same filters). Exact unless "
                           f"counts_are_lower_bounds says otherwise: lists are counted up to {COUNT_CAP} tasks, "
                           f"a larger list reports {COUNT_CAP}",
                           "properties": {"mine": {"type": "integer"}, "queue": {"type": "integer"}}},
                "counts_are_lower_bounds": {"type": "object", "description": "true: the list holds more tasks "
                                            f"than its count (show it as \"{COUNT_CAP}+\"); page on with has_next",
                                            "properties": {"mine": {"type": "boolean"},
                                                           "queue": {"type": "boolean"}}},
                "has_next": {"type": "object", "description": "Whether the list has a page after this one",
                             "properties": {"mine": {"type": "boolean"}, "queue": {"type": "boolean"}}},
                "page": {"type": "integer"},
            }},
            "Process": {"type": "object", "required": ["key", "name", "version", "start_form"], "properties": {
                "key": {"type": "string"}, "name": {"type": "string"}, "version": {"type": "integer"},
                "start_form": {"type": ["object", "null"], "description": "{fields: [FormField]}, or null"}}},
            "LookupItem": {"type": "object", "required": ["id", "label"],
                           "properties": {"id": {"type": "integer"}, "label": {"type": "string"}}},
            "Assignee": {"type": "object", "required": ["username"], "properties": {"username": {"type": "string"}}},
            "FormField": {"type": "object", "properties": {
                "id": {"type": "string"}, "label": {"type": "string"},
                "type": {"enum": ["string", "text", "integer", "decimal", "date", "datetime", "boolean",
                                  "enum", "multi_enum", "reference", "file"]},
                "required": {"type": "boolean"}, "readonly": {"type": "boolean"},
                "options": {"type": "array", "items": {"type": "object"}},
                "min": {}, "max": {}, "minlength": {}, "maxlength": {}, "pattern": {},
                "reference": {"type": ["object", "null"],
                              "properties": {"kind": {"type": "string"}, "lookup_url": {"type": "string"}}},
            }},
        },
    },
    "security": [{"bearer": []}, {"cookie": []}],
    "paths": {
        "/api/auth/token": {"post": {**_op("Exchange username/password for a bearer token (429 when throttled)",
                                          body="#/components/schemas/Credentials", errors=(401, 429)),
                                     "security": []}},
        "/api/processes": {"get": _op("Processes the caller may start, with start form definitions", errors=(401,),
                                      returns={"type": "array", "items": {"$ref": "#/components/schemas/Process"}})},
        "/api/processes/{key}/instances": {"parameters": _path_param("key"), "post": _idempotent(_op(
            "Start an instance; the body is the start data", body="#/components/schemas/Data", ok=201,
            errors=(401, 403, 404, 422)))},
        "/api/instances/{id}": {"parameters": _path_param("id", "integer"),
                                "get": _op("Instance status, current tasks, data and history")},
        "/api/tasks": {"get": _op("My tasks and my lanes' queue, 25 per page, with both lists' counts "
                                  "(filters: process, q, customer_id, overdue, min_priority, sort, page)",
                                  returns="#/components/schemas/TaskList")},
        "/api/tasks/{id}": {"parameters": _path_param("id"),
                            "get": _op("A task with its context data and form definition")},
        "/api/tasks/{id}/claim": {"parameters": _path_param("id"), "post": _idempotent(_op(
            "Claim a queued task", errors=(401, 403, 404, 409)))},
        "/api/tasks/{id}/unclaim": {"parameters": _path_param("id"), "post": _op(
            "Put a claimed task back in the queue", errors=(401, 403, 404, 409))},
        "/api/tasks/{id}/complete": {"parameters": _path_param("id"), "post": _idempotent(_op(
            "Complete a task; the body is the form data (422 per-field errors, 409 conflict)",
            body="#/components/schemas/Data", errors=(401, 403, 404, 409, 422)))},
        "/api/tasks/{id}/assign": {"parameters": _path_param("id"), "post": _idempotent(_op(
            "Hand a task over to a colleague holding its role; the body is {\"username\": ...}",
            body="#/components/schemas/Assignee", errors=(401, 403, 404, 409, 422)))},
        "/api/uploads": {"post": {**_op(
            "Upload a file for a file field (multipart field `file`, at most 5 MB). The answer "
            "{name, size, content_type, storage_key} is the value to send for that field when completing "
            "a task or starting a process; it is only accepted from the user who uploaded it.",
            ok=201, errors=(401, 413, 422)),
            "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                "type": "object", "required": ["file"],
                "properties": {"file": {"type": "string", "format": "binary"}}}}}},
            "responses": {"201": {"description": "Stored", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/FileValue"}}}},
                **{str(c): {"description": "Error", "content": {"application/json": {"schema": _ERROR}}}
                   for c in (400, 401, 413, 422)}}}},
        "/api/lookup/{kind}": {"parameters": _path_param("kind"), "get": _op(
            "Records the caller may choose for a reference field of this kind (query: q = label contains; or "
            "id = the one record, to label a stored value; [] when the caller may not see it)",
            returns={"type": "array", "items": {"$ref": "#/components/schemas/LookupItem"}})},
        "/api/openapi.json": {"get": {**_op("This document", errors=()), "security": []}},
    },
}

_RECORD_PATHS, _RECORD_SCHEMAS = record_openapi()
OPENAPI["paths"].update(_RECORD_PATHS)
OPENAPI["components"]["schemas"].update(_RECORD_SCHEMAS)
