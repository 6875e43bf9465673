"""Operations endpoints: liveness, readiness (and its reasons), the token-guarded metrics, JSON log lines."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import logging

import pytest
from sqlalchemy import text

import config
from app import create_app
from config.logs import RequestIdFilter, json_formatter, request_id
from engine.models import utcnow
from engine.outbox import enqueue
from tests.conftest import make_settings
from tests.engine.helpers import complete, deploy, ready_tasks, start

TOKEN = "scrape-me-0123456789"
ROLES = ["sales", "salesdir", "custdir", "finance", "agent", "engineer", "owner", "admin"]


@pytest.fixture
def with_token(platform):
    platform.settings = dataclasses.replace(platform.settings, metrics_token=TOKEN)
    return {"Authorization": f"Bearer {TOKEN}"}


def test_liveness_and_readiness_answer_anyone(client):
    alive = client.get("/healthz")
    assert (alive.status_code, alive.json) == (200, {"status": "alive"})
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json["status"] == "ready"
    assert ready.json["checks"]["database"] == ready.json["checks"]["migrations"] == "ok"


@pytest.mark.parametrize("username", ROLES)
def test_every_role_gets_the_probes_but_not_metrics_without_the_token(login, username, with_token):
    user = login(username)
    assert user.get("/healthz").status_code == 200
    assert user.get("/readyz").status_code == 200
    assert user.get("/metrics").status_code == 404


def test_readiness_names_a_database_behind_the_code(app, client, platform):
    with platform.sessions.begin() as session:
        at = session.scalar(text("SELECT version_num FROM alembic_version"))
        session.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    try:
        answer = client.get("/readyz")
    finally:
        with platform.sessions.begin() as session:
            session.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": at})
    assert answer.status_code == 503
    assert answer.json["status"] == "not ready"
    assert answer.json["checks"]["migrations"] == f"database at 0001, code needs {at}: run flask crm init-db"
    assert "migrations: database at 0001" in answer.json["reason"]


def test_a_database_migrated_by_a_newer_release_stays_ready(client, platform):
    """Rolling upgrade: migrations run first, the old release's processes keep serving until replaced."""
    with platform.sessions.begin() as session:
        at = session.scalar(text("SELECT version_num FROM alembic_version"))
        session.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    try:
        answer = client.get("/readyz")
    finally:
        with platform.sessions.begin() as session:
            session.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": at})
    assert answer.status_code == 200
    assert answer.json["checks"]["migrations"].startswith("ok: database at 9999_future, newer than this code")


def test_an_unreachable_database_is_not_ready_but_alive(database_url, queue_name):
    settings = dataclasses.replace(make_settings(database_url, queue_name),
                                   database_url="postgresql+psycopg://nobody@127.0.0.1:9/none", redis_url="")
    client = create_app(settings).test_client()
    assert client.get("/healthz").status_code == 200
    answer = client.get("/readyz")
    assert answer.status_code == 503
    assert answer.json["checks"]["database"].startswith("OperationalError")
    assert answer.json["reason"].startswith("database: OperationalError")


def test_unreachable_redis_is_not_ready(database_url, queue_name):
    settings = dataclasses.replace(make_settings(database_url, queue_name), redis_url="redis://127.0.0.1:9/0")
    answer = create_app(settings).test_client().get("/readyz")
    assert answer.status_code == 503
    assert answer.json["checks"]["database"] == "ok"
    assert answer.json["checks"]["redis"].startswith("ConnectionError")


def test_metrics_need_a_configured_token_and_the_right_one(client, platform):
    assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 404
    platform.settings = dataclasses.replace(platform.settings, metrics_token=TOKEN)
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 404
    assert client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200


def _samples(body: str) -> dict[str, float]:
    """``name{labels}`` -> value of every sample line."""
    lines = [line.rsplit(" ", 1) for line in body.splitlines() if line and not line.startswith("#")]
    return {name: float(value) for name, value in lines}


def test_metrics_show_requests_engine_jobs_and_what_waits(client, platform, actors, with_token, settle_jobs):
    deploy(platform, "approval.bpmn", "broken_handler.bpmn")
    waiting = start(platform, "approval", actors["sales"])
    broken = start(platform, "broken_handler", actors["sales"])
    complete(platform, ready_tasks(platform, broken)[0].id, actors["sales"], {"value": 1})
    settle_jobs()
    client.get("/healthz")
    answer = client.get("/metrics", headers=with_token)
    assert answer.status_code == 200
    assert answer.content_type.startswith("text/plain")
    samples = _samples(answer.get_data(as_text=True))
    assert samples['crm_http_request_seconds_count{endpoint="operations.healthz",method="GET",status="2xx"}'] >= 1
    assert samples['crm_engine_step_seconds_count{process="approval",where="request"}'] >= 1
    assert samples['crm_instances_in_error{process="broken_handler"}'] == 1
    assert samples["crm_instances_in_error_total"] == 1
    for status in ("pending", "queued", "running", "failed"):
        assert f'crm_outbox_jobs{{status="{status}"}}' in samples
    assert samples["crm_failed_jobs"] == 0
    assert samples["crm_timer_lag_seconds"] == 0
    assert samples["crm_timers_overdue"] == 0
    assert ready_tasks(platform, waiting)


def test_lag_of_an_overdue_timer_and_job_durations(client, platform, actors, with_token):
    deploy(platform, "timer.bpmn")
    waiting = start(platform, "timer", actors["sales"], {"wait_for": "P10D"})
    with platform.sessions.begin() as session:
        session.execute(text("UPDATE process_instance SET next_timer_at = :due WHERE id = :id"),
                        {"due": utcnow() - dt.timedelta(seconds=120), "id": waiting})
        job = enqueue(session, waiting, "advance")  # not pushed: this process runs it below
        session.flush()
        job_id = job.id
    samples = _samples(client.get("/metrics", headers=with_token).get_data(as_text=True))
    assert samples["crm_timers_overdue"] == 1
    assert samples["crm_timer_lag_seconds"] >= 120
    assert samples['crm_outbox_jobs{status="pending"}'] == 1
    done_before = samples.get('crm_job_seconds_count{kind="advance",outcome="done"}', 0)
    assert platform.runner.run(job_id) == "done"
    after = _samples(client.get("/metrics", headers=with_token).get_data(as_text=True))
    assert after['crm_job_seconds_count{kind="advance",outcome="done"}'] == done_before + 1
    assert after['crm_engine_step_seconds_count{process="timer",where="job"}'] >= 1


def test_json_log_lines_carry_the_request_id():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(json_formatter())
    logger = logging.getLogger("tests.json_lines")
    logger.addHandler(handler)
    token = request_id.set("req-12345678")
    try:
        logger.warning("job %s failed", 7)
    finally:
        request_id.reset(token)
        logger.removeHandler(handler)
    line = json.loads(stream.getvalue())
    assert line["message"] == "job 7 failed"
    assert line["request_id"] == "req-12345678"
    assert line["level"] == "WARNING"
    assert line["logger"] == "tests.json_lines"


def test_log_format_is_read_from_the_environment():
    assert config.from_environment({"CRM_LOG_FORMAT": "json"}).log_json is True
    assert config.from_environment({}).log_json is False
    assert config.from_environment({"CRM_METRICS_TOKEN": " s3cret "}).metrics_token == "s3cret"
    with pytest.raises(ValueError, match="CRM_LOG_FORMAT"):
        config.from_environment({"CRM_LOG_FORMAT": "xml"})
