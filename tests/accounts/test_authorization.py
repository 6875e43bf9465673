"""Who may see and complete what: lanes, data scope, assignees; login, CSRF, throttling and session expiry.

Which role may call which route at all is the matrix of tests/security/ (authorization_table.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import types

import itsdangerous.timed
import pytest

from app import create_app
from tests.conftest import make_settings
from tests.processes.task_helpers import VALID_JSON, add_customer, deploy, ready_task, start, update_task
from tests.support.web import WebUser

URLS = ("/tasks/{id}", "/api/tasks/{id}")


@pytest.fixture
def review_task(platform, actors, tmp_uploads):
    """A task in the customer director's lane."""
    deploy(platform)
    instance_id = start(platform, actors["sales"])
    row = ready_task(platform, instance_id)
    with platform.sessions() as session:
        platform.engine.complete(session, row.id, {"title_text": "x", "quantity": 1, "grade": "key"}, actors["sales"])
        session.commit()
    return ready_task(platform, instance_id)


def test_a_task_outside_ones_lanes_cannot_be_seen_or_completed(login, review_task):
    sales = login("sales")
    for url in URLS:
        assert sales.get(url.format(id=review_task.id)).status_code == 404
    assert sales.post(f"/tasks/{review_task.id}", data={"approved": "true"}).status_code == 404
    assert sales.api("POST", f"/api/tasks/{review_task.id}/complete", json={"approved": True}).status_code == 404
    assert sales.post(f"/worklist/{review_task.id}/claim").status_code == 404
    assert sales.post(f"/tasks/{review_task.id}/comments", data={"body": "hi"}).status_code == 404
    assert review_task.id not in sales.get("/worklist/?list=queue").get_data(as_text=True)
    custdir = login("custdir")
    assert custdir.get(f"/tasks/{review_task.id}").status_code == 200
    assert review_task.id in custdir.get("/worklist/?list=queue").get_data(as_text=True)


def test_data_scope_hides_other_salespeoples_customers(platform, actors, login, tmp_uploads):
    """A salesperson-lane task about sales2's customer is sales2's (and their manager's), not sales'."""
    deploy(platform)
    theirs = add_customer(platform, "Sue's yard", owner="sales2")
    unowned = add_customer(platform, "Nobody's yard")
    their_task = ready_task(platform, start(platform, actors["sales2"], customer_id=theirs))
    open_task = ready_task(platform, start(platform, actors["sales2"], customer_id=unowned))
    sales, sales2 = login("sales"), login("sales2")
    queue = sales.get("/api/tasks?").json["queue"]
    assert [t["id"] for t in queue] == [open_task.id]
    for url in URLS:
        assert sales.get(url.format(id=their_task.id)).status_code == 404
        assert sales2.get(url.format(id=their_task.id)).status_code == 200
    refused = sales.api("POST", f"/api/tasks/{their_task.id}/complete", json=VALID_JSON)
    assert refused.status_code == 404
    assert {t["id"] for t in sales2.get("/api/tasks").json["queue"]} == {their_task.id, open_task.id}


def test_handing_a_task_over_makes_it_visible_to_the_assignee(platform, actors, login, tmp_uploads):
    deploy(platform)
    theirs = add_customer(platform, "Sue's yard", owner="sales2")
    task = ready_task(platform, start(platform, actors["sales2"], customer_id=theirs))
    sales2 = login("sales2")
    assert sales2.post(f"/tasks/{task.id}/handover", data={"assignee": "sales"}).status_code == 302
    sales = login("sales")
    assert sales.get(f"/tasks/{task.id}").status_code == 200
    assert [t["id"] for t in sales.get("/api/tasks").json["mine"]] == [task.id]


def test_someone_elses_claimed_task_can_be_read_but_not_completed(platform, login, review_task):
    update_task(platform, review_task.id, assignee="admin")
    custdir = login("custdir")
    page = custdir.get(f"/tasks/{review_task.id}").get_data(as_text=True)
    assert "This task is assigned to admin" in page and 'id="task-form"' not in page
    refused = custdir.api("POST", f"/api/tasks/{review_task.id}/complete", json={"approved": True})
    assert refused.status_code == 403 and "assigned to admin" in refused.json["error"]
    assert custdir.post(f"/tasks/{review_task.id}", data={"approved": "true"}).status_code == 403
    assert ready_task(platform, review_task.instance_id).id == review_task.id




def test_posts_without_csrf_token_are_refused(login, review_task):
    custdir = login("custdir")
    for url in (f"/tasks/{review_task.id}", f"/worklist/{review_task.id}/claim", f"/tasks/{review_task.id}/comments",
                "/worklist/filters", "/notifications/read", "/logout"):
        assert custdir.client.post(url, data={"approved": "true", "body": "x", "name": "x"}).status_code == 400, url
    assert custdir.client.post(f"/api/tasks/{review_task.id}/complete", json={"approved": True}).status_code == 400
    assert custdir.get(f"/tasks/{review_task.id}").status_code == 200  # still signed in, nothing done




def test_login_is_throttled_after_repeated_failures(app, client):
    limit = app.extensions["crm"].settings.login_attempts_per_15min
    user = WebUser(app.test_client(), None)
    for _ in range(limit):
        token = user.csrf_token()
        assert user.client.post("/login", data={"username": "info", "password": "wrong",
                                                "csrf_token": token}).status_code == 401
    throttled = user.client.post("/login", data={"username": "info", "password": "demo",
                                                 "csrf_token": user.csrf_token()})
    assert throttled.status_code == 429 and "too many failed logins" in throttled.get_data(as_text=True)
    token = client.post("/api/auth/token", json={"username": "info", "password": "demo"})
    assert token.status_code == 429 and "too many failed logins" in token.json["error"]
    WebUser(app.test_client(), "custdir").login()  # other users are not affected


def test_session_lifetime_follows_the_settings_and_expires(database_url, queue_name, monkeypatch):
    settings = dataclasses.replace(make_settings(database_url, queue_name), session_minutes=30)
    app = create_app(settings)
    try:
        assert app.permanent_session_lifetime == dt.timedelta(minutes=30)
        assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
        user = WebUser(app.test_client(), None)
        response = user.client.post("/login", data={"username": "sales", "password": "demo",
                                                    "csrf_token": user.csrf_token()})
        assert "Expires=" in response.headers["Set-Cookie"]  # a permanent session: it ends after 30 minutes
        assert user.get("/worklist/").status_code == 200
        later = itsdangerous.timed.time.time() + 31 * 60
        monkeypatch.setattr(itsdangerous.timed, "time", types.SimpleNamespace(time=lambda: later))
        expired = user.get("/worklist/")
        assert expired.status_code == 302 and "/login" in expired.headers["Location"]
    finally:
        app.extensions["crm"].db.dispose()
