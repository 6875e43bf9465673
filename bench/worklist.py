"""Worklist speed on PostgreSQL over :mod:`bench.worklist_data`: the service queries and the page."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import create_app
from engine.runtime import Actor
from services.processes import worklist
from services.processes.scope import owner_scope

from .common import explain, settings, summary_ms
from .worklist_data import PASSWORD, USER, USER_ROLES

WARMUP = 10
SAMPLES = 100

_CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def measure(database_url: str) -> dict:
    """Median/p95 of the worklist queries and of the rendered page for the user."""
    app = create_app(settings(database_url))
    platform = app.extensions["crm"]
    actor = Actor(USER, frozenset(USER_ROLES))
    result = {}
    for which in ("queue", "mine"):
        result[f"query_{which}"] = _timed(lambda which=which: _list(platform, actor, which))
    result["counts"] = {name: str(count) for name, count in _list(platform, actor, "queue").counts.items()}
    with platform.sessions() as session:
        result["sizes"] = list_sizes(session, actor)
    client = _login(app.test_client())

    def page():
        response = client.get("/worklist/?list=queue")
        assert response.status_code == 200 and b"data-task-id" in response.data

    result["page_queue"] = _timed(page)
    result["plans"] = {which: explain(platform, lambda which=which: _list(platform, actor, which))
                       for which in ("queue", "mine")}
    result["plans"]["page_queue"] = explain(platform, page)
    platform.db.dispose()
    return result


def _list(platform, actor: Actor, which: str) -> worklist.Page:
    with platform.sessions() as session:
        page = worklist.list_tasks(session, actor, which, worklist.TaskFilter(sort="due"), 1)
        assert page.items and page.count.value
        return page


def list_sizes(session: Session, actor: Actor) -> dict[str, int]:
    """The lists' exact sizes, which the app does not count past ``worklist.COUNT_CAP`` (for the report)."""
    scope = owner_scope(session, actor)
    lists = {"mine": worklist._mine(), "queue": worklist._queue(scope is not None)}
    values = worklist.list_parameters(actor, scope)
    return {name: session.scalar(select(func.count()).select_from(q.subquery()), values) for name, q in lists.items()}


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
