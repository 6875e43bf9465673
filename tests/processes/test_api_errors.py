"""API errors are JSON (a 500 too) and carry the request id that the logs and the request's jobs carry."""

import logging

import pytest
from sqlalchemy import select

from config.logs import RequestIdFilter
from engine.models import OutboxJob
from tests.engine.helpers import deploy


def _token(client, username: str) -> dict:
    response = client.post("/api/auth/token", json={"username": username, "password": "demo"})
    return {"Authorization": f"Bearer {response.json['token']}"}


@pytest.fixture
def failing_route(app):
    """An API route that fails like a bug would (registered before the first request)."""
    def explode():
        raise RuntimeError("a bug")

    app.add_url_rule("/api/_explode", "explode", explode)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # answer as production does, not raise into the test
    return "/api/_explode"


def test_an_unexpected_error_is_json_with_the_request_id(client, failing_route, caplog):
    caplog.handler.addFilter(RequestIdFilter())
    response = client.get(failing_route, headers={"X-Request-Id": "client-chosen-0001"})
    assert response.status_code == 500 and response.is_json
    assert response.json == {"error": "internal server error", "status": 500, "request_id": "client-chosen-0001"}
    assert response.headers["X-Request-Id"] == "client-chosen-0001"
    logged = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert logged and all(r.request_id == "client-chosen-0001" for r in logged)
    assert "RuntimeError: a bug" in caplog.text


@pytest.mark.parametrize("method, url, code", [
    ("GET", "/api/processes/x/instances", 405), ("GET", "/api/no/such/thing", 404),
    ("GET", "/api/tasks", 401), ("POST", "/api/processes/approval/instances", 401),  # not signed in
])
def test_http_errors_of_the_api_are_json(client, method, url, code):
    response = client.open(url, method=method, json={})
    assert response.status_code == code and response.is_json
    assert response.json["status"] == code and response.json["request_id"] == response.headers["X-Request-Id"]


@pytest.mark.parametrize("offered", ["has spaces in it", "short", "x" * 65, "<script>alert(1)</script>"])
def test_an_unusable_client_request_id_is_replaced(client, offered):
    answered = client.get("/api/openapi.json", headers={"X-Request-Id": offered}).headers["X-Request-Id"]
    assert answered != offered and len(answered) == 32


def test_pages_keep_html_error_pages_with_the_request_id_header(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404 and not response.is_json and response.headers["X-Request-Id"]


def test_jobs_remember_the_request_that_wrote_them(client, platform, tmp_path, settle_jobs):
    deploy(platform, "services.bpmn")
    flag = tmp_path / "down"
    flag.write_text("outside system down")
    headers = {**_token(client, "sales"), "X-Request-Id": "trace-start-42"}
    started = client.post("/api/processes/services/instances", json={"flag_path": str(flag)}, headers=headers)
    assert started.status_code == 201
    settle_jobs()  # the background call fails; its job writes a retry job
    with platform.sessions() as session:
        jobs = session.scalars(select(OutboxJob).where(OutboxJob.instance_id == started.json["id"])).all()
    assert sorted(job.kind for job in jobs) == ["advance", "retry"]
    assert all(job.request_id == "trace-start-42" for job in jobs)  # the job's own job too
