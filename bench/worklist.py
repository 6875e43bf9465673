"""Worklist speed on PostgreSQL over :mod:`bench.worklist_data`: the service queries and the page."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import event

from app import create_app
from engine.runtime import Actor
from services import worklist

from .common import settings, summary_ms
from .worklist_data import PASSWORD, USER, USER_ROLES

WARMUP = 10
SAMPLES = 100
CAP = 1001
_SUBQUERY = ") AS anon_1"

_CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def measure(database_url: str) -> dict:
    """Median/p95 of the worklist queries and of the rendered page for the user."""
    app = create_app(settings(database_url))
    platform = app.extensions["crm"]
    actor = Actor(USER, frozenset(USER_ROLES))
    result = {}
    for which in ("queue", "mine"):
        def query(which=which):
            with platform.sessions() as session:
                page = worklist.list_tasks(session, actor, which, worklist.TaskFilter(sort="due"), 1)
                assert page.items and page.total
        result[f"query_{which}"] = _timed(query)
    with platform.sessions() as session:
        page = worklist.list_tasks(session, actor, "queue", worklist.TaskFilter(sort="due"), 1)
        result["counts"] = page.counts
    client = _login(app.test_client())

    def page():
        response = client.get("/worklist/?list=queue")
        assert response.status_code == 200 and b"data-task-id" in response.data

    result["page_queue"] = _timed(page)
    result["plans"] = {which: explain(platform, actor, which) for which in ("queue", "mine")}
    platform.db.dispose()
    return result


def explain(platform, actor: Actor, which: str) -> list[dict]:
    """Each statement ``list_tasks`` runs for ``which``, with its time and EXPLAIN (ANALYZE, BUFFERS) plan."""
    captured: list[tuple[str, object]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        captured.append((statement, parameters))

    event.listen(platform.db, "before_cursor_execute", capture)
    try:
        with platform.sessions() as session:
            worklist.list_tasks(session, actor, which, worklist.TaskFilter(sort="due"), 1)
    finally:
        event.remove(platform.db, "before_cursor_execute", capture)
    counts = [(s, p) for s, p in captured if s.startswith("SELECT count(*)") and s.rstrip().endswith(_SUBQUERY)
              and "LIMIT" not in s.rstrip().rsplit("\n", 1)[-1]]
    if counts:  # what-if: the largest count capped at CAP rows (a "1,000+" badge)
        statement, parameters = counts[-1]
        captured.append((f"{statement.rstrip()[:-len(_SUBQUERY)]} LIMIT {CAP}{_SUBQUERY}", parameters))
    plans = []
    with platform.db.connect() as conn:
        cursor = conn.connection.driver_connection.cursor()
        for statement, parameters in captured:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {statement}", parameters)
            lines = [row[0] for row in cursor.fetchall()]
            took = next((line.split(":")[1].strip() for line in lines if line.startswith("Execution Time")), "")
            plans.append({"sql": " ".join(statement.split())[:300], "execution": took, "plan": "\n".join(lines)})
    if counts:
        plans[-1]["sql"] = f"(what-if, not run by the app) capped count LIMIT {CAP}: " + plans[-1]["sql"]
    return plans


def _timed(call: Callable[[], None]) -> dict:
    for _ in range(WARMUP):
        call()
    samples = []
    for _ in range(SAMPLES):
        began = time.perf_counter()
        call()
        samples.append(time.perf_counter() - began)
    return summary_ms(samples)


def _login(client: FlaskClient) -> FlaskClient:
    page = client.get("/login").get_data(as_text=True)
    token = _CSRF.search(page).group(1)
    response = client.post("/login", data={"username": USER, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302, response.status_code
    return client

