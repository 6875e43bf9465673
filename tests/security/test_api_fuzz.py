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
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
OPERATIONS = [(method.upper(), path) for path, item in OPENAPI["paths"].items()
              for method in item if method != "parameters"]


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

    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case):
        headers = {**auth, **(case.headers or {})}
        response = case.call(app=world.app, headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)

    run()
