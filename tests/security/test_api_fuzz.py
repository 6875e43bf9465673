"""API fuzz run (issue 11): schemathesis generates requests from ``/api/openapi.json`` for every operation and
sends them in-process to the Flask app with a bearer token; every answer must be documented (status code,
content type, body schema) and none may be a 5xx.

Bounded for CI: a fixed number of examples per operation, derandomized so a failure reproduces run after run.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from web.api.openapi import OPENAPI

EXAMPLES = 100
REAL_EXAMPLES = 30
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
OPERATIONS = [(method.upper(), path) for path, item in OPENAPI["paths"].items()
              for method in item if method != "parameters"]
ON_RECORDS = [(method, path) for method, path in OPERATIONS if "{" in path]
"""Operations with path parameters, fuzzed a second time on records that exist (generated ids are mostly 404)."""


@pytest.fixture(scope="module")
def fuzz(world):
    """The schema as the app serves it, and a bearer token of the demo salesperson."""
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", world.app)
    answer = world.app.test_client().post("/api/auth/token", json={"username": "sales", "password": "demo"})
    assert answer.status_code == 200
    return schema, {"Authorization": f"Bearer {answer.get_json()['token']}"}


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_every_answer_is_documented_and_none_is_a_server_error(fuzz, world, method, path):
    schema, auth = fuzz
    operation = schema[path][method]

    _fuzz(operation, world, auth, EXAMPLES, {})


@pytest.mark.parametrize(("method", "path"), ON_RECORDS, ids=[f"{m} {p}" for m, p in ON_RECORDS])
def test_answers_on_existing_records_are_documented_too(fuzz, world, method, path):
    schema, auth = fuzz
    real = {**world.args,
            "id": world.args["instance_id"] if path.startswith("/api/instances") else world.args["task_id"]}
    try:
        _fuzz(schema[path][method], world, auth, REAL_EXAMPLES, real)
    finally:
        world.reset()


def _fuzz(operation, world, auth: dict, examples: int, path_parameters: dict) -> None:
    """Send ``examples`` generated requests (path parameters replaced by ``path_parameters``) and check each answer."""

    @given(case=operation.as_strategy())
    @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case):
        if path_parameters:
            case.path_parameters = {name: path_parameters[name] for name in case.path_parameters}
        headers = {**auth, **(case.headers or {})}
        response = case.call(app=world.app, headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)

    run()
