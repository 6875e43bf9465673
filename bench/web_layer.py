"""Web-layer cost: the approval instance (start + two completions) through the JSON API over HTTP.

gunicorn with one sync worker on loopback, PostgreSQL, jobs in process (the approval process has
none). Per instance: ``POST /api/processes/approval/instances``, ``POST /api/tasks/<id>/complete``
twice, each on a fresh connection, bearer tokens of two demo users. Web layer per request =
(HTTP ms per instance − the engine's in-process ms per instance for the same work) ÷ 3: sign-in from
the token, user and roles, form validation, JSON in and out, the response's instance detail, HTTP and
WSGI. "The same work" is measured here, on the same database, right before the HTTP rounds: the same
three users through ``ProcessEngine.start``/``complete``, one committed transaction per step, so the
lanes' members are told of each new task exactly as over HTTP (the throughput section's instances
have no lane members, so they skip that work).
"""

from __future__ import annotations

import statistics
import time

from demo.users import DEMO_PASSWORD, create_demo_users
from engine.runtime import Actor

from . import servers
from .common import complete, platform_for, start
from .throughput import STEPS

WARMUP = 10
ROUNDS = 3
PER_ROUND = 50
REQUESTS_PER_INSTANCE = 1 + len(STEPS)


def measure(database_url: str) -> dict:
    """HTTP ms per instance (median round) and per request, with one gunicorn worker."""
    platform = platform_for(database_url, "approval.bpmn")
    with platform.sessions.begin() as session:
        users = create_demo_users(session)
        actors = [Actor(users[name].username, users[name].role_keys) for name in ("sales", "sales", "custdir")]
    engine_ms = _engine_same_work(platform, actors)
    platform.db.dispose()
    port = servers.free_port()
    base = f"http://127.0.0.1:{port}"
    web = servers.gunicorn(servers.environment(database_url), port, workers=1)
    try:
        servers.wait_ready(base, web)
        tokens = [_token(base, "sales"), _token(base, "sales"), _token(base, "custdir")]
        for _ in range(WARMUP):
            _run_instance(base, tokens)
        rounds = []
        for _ in range(ROUNDS):
            began = time.perf_counter()
            for _ in range(PER_ROUND):
                _run_instance(base, tokens)
            rounds.append((time.perf_counter() - began) * 1000 / PER_ROUND)
    finally:
        servers.stop(web)
    per_instance = statistics.median(rounds)
    return {"ms_per_instance": round(per_instance, 2), "rounds_ms": [round(r, 2) for r in rounds],
            "ms_per_request": round(per_instance / REQUESTS_PER_INSTANCE, 2), "instances": ROUNDS * PER_ROUND,
            "gunicorn_workers": 1, "engine_same_work_ms_per_instance": round(engine_ms, 2)}


def _engine_same_work(platform, actors: list[Actor]) -> float:
    """In-process ms per instance (median round) of the HTTP flow's work: the same users, a commit per step."""
    def run() -> None:
        _, ready = start(platform, "approval", {}, actors[0])
        for data, actor in zip(STEPS, actors[1:], strict=True):
            ready = complete(platform, ready[0], data, actor)
        assert not ready

    for _ in range(WARMUP):
        run()
    rounds = []
    for _ in range(ROUNDS):
        began = time.perf_counter()
        for _ in range(PER_ROUND):
            run()
        rounds.append((time.perf_counter() - began) * 1000 / PER_ROUND)
    return statistics.median(rounds)


def web_layer(http: dict, engine_ms_per_instance: float) -> dict:
    """HTTP time minus the engine's in-process time for the same work (same users, same notices), per request;
    ``engine_ms_per_instance`` (the throughput section's, no lane members) is kept for comparison."""
    same_work = http["engine_same_work_ms_per_instance"]
    per_request = (http["ms_per_instance"] - same_work) / REQUESTS_PER_INSTANCE
    return {"http_ms_per_instance": http["ms_per_instance"], "engine_same_work_ms_per_instance": same_work,
            "engine_ms_per_instance": engine_ms_per_instance, "web_ms_per_request": round(per_request, 2)}


def _token(base: str, username: str) -> str:
    status, body = servers.post_json(base, "/api/auth/token", {"username": username, "password": DEMO_PASSWORD})
    assert status == 200, body
    return body["token"]


def _run_instance(base: str, tokens: list[str]) -> None:
    status, body = servers.post_json(base, "/api/processes/approval/instances", {}, tokens[0])
    assert status == 201, body
    for data, token in zip(STEPS, tokens[1:], strict=True):
        task_id = body["current_tasks"][0]["id"]
        status, body = servers.post_json(base, f"/api/tasks/{task_id}/complete", data, token)
        assert status == 200, body
    assert body["status"] == "completed", body["status"]
