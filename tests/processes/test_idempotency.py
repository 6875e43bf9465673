"""Idempotency keys: a retried write (same key, same request) acts once and gets the first answer."""

import datetime as dt
import re
import threading

import pytest
from sqlalchemy import func, select, update

from crm.idempotency import IdempotencyKey
from engine.models import InstanceEvent, ProcessInstance, utcnow
from tests.conftest import servers_mode
from tests.engine.helpers import deploy

START = "/api/processes/approval/instances"


@pytest.fixture
def approval(platform):
    deploy(platform, "approval.bpmn")


def _token(client, username: str) -> dict:
    response = client.post("/api/auth/token", json={"username": username, "password": "demo"})
    return {"Authorization": f"Bearer {response.json['token']}"}


def _instances(platform) -> int:
    with platform.sessions() as session:
        return session.scalar(select(func.count()).select_from(ProcessInstance))


def _events(platform, kind: str) -> int:
    with platform.sessions() as session:
        return session.scalar(select(func.count()).select_from(InstanceEvent).where(InstanceEvent.kind == kind))


def test_the_same_key_twice_starts_one_instance_and_a_different_body_is_refused(client, platform, approval):
    headers = {**_token(client, "sales"), "Idempotency-Key": "order-4711"}
    first = client.post(START, json={"customer_id": 12}, headers=headers)
    again = client.post(START, json={"customer_id": 12}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json == first.json and again.headers["Idempotent-Replayed"] == "true"
    assert _instances(platform) == 1

    other = client.post(START, json={"customer_id": 13}, headers=headers)
    assert other.status_code == 422 and "different request" in other.json["error"]
    elsewhere = client.post(f"/api/tasks/{first.json['current_tasks'][0]['id']}/claim", headers=headers)
    assert elsewhere.status_code == 422  # one key, one request: not reusable on another endpoint
    assert _instances(platform) == 1

    theirs = client.post(START, json={"customer_id": 12}, headers={**_token(client, "sales2"),
                                                                     "Idempotency-Key": "order-4711"})
    assert theirs.status_code == 201 and theirs.json["id"] != first.json["id"]  # keys are per user


def test_claim_complete_and_assign_act_once_per_key(client, platform, approval):
    sales = _token(client, "sales")
    task_id = client.post(START, json={}, headers=sales).json["current_tasks"][0]["id"]
    for _ in range(2):
        claimed = client.post(f"/api/tasks/{task_id}/claim", headers={**sales, "Idempotency-Key": "c1"})
        assert claimed.status_code == 200 and claimed.json["assignee"] == "sales"
    assigned = [client.post(f"/api/tasks/{task_id}/assign", json={"username": "sales2"},
                            headers={**sales, "Idempotency-Key": "a1"}) for _ in range(2)]
    assert [a.status_code for a in assigned] == [200, 200] and assigned[1].json == assigned[0].json
    sales2 = _token(client, "sales2")
    done = [client.post(f"/api/tasks/{task_id}/complete", json={"amount": "10", "reason": "x"},
                        headers={**sales2, "Idempotency-Key": "k1"}) for _ in range(2)]
    assert [d.status_code for d in done] == [200, 200]  # without the key the second would be a 409
    assert done[1].json == done[0].json
    assert (_events(platform, "claimed"), _events(platform, "assigned"), _events(platform, "task_completed")) \
        == (1, 1, 1)


def test_a_refused_request_does_not_use_up_its_key(client, platform, approval):
    sales = _token(client, "sales")
    task_id = client.post(START, json={}, headers=sales).json["current_tasks"][0]["id"]
    headers = {**sales, "Idempotency-Key": "fix-and-resend"}
    invalid = client.post(f"/api/tasks/{task_id}/complete", json={"amount": "-3"}, headers=headers)
    assert invalid.status_code == 422 and "amount" in invalid.json["fields"]
    fixed = client.post(f"/api/tasks/{task_id}/complete", json={"amount": "3", "reason": "x"}, headers=headers)
    assert fixed.status_code == 200


def test_a_key_is_forgotten_after_24_hours(client, platform, approval):
    headers = {**_token(client, "sales"), "Idempotency-Key": "daily"}
    assert client.post(START, json={}, headers=headers).status_code == 201
    with platform.sessions.begin() as session:
        session.execute(update(IdempotencyKey).values(created_at=utcnow() - dt.timedelta(hours=25)))
    assert client.post(START, json={}, headers=headers).headers.get("Idempotent-Replayed") is None
    assert _instances(platform) == 2
    platform.relay.tick()  # the scheduler's periodic clean-up
    with platform.sessions() as session:
        assert session.scalar(select(func.count()).select_from(IdempotencyKey)) == 1


@pytest.mark.parametrize("key", ["", "x" * 201, "caf\u00e9", "tab\there"])
def test_malformed_keys_are_refused(client, platform, approval, key):
    response = client.post(START, json={}, headers={**_token(client, "sales"), "Idempotency-Key": key})
    assert response.status_code == 400 and "Idempotency-Key" in response.json["error"]
    assert _instances(platform) == 0


def test_a_failed_commit_answers_an_error_and_the_retry_starts_one_instance(app, client, platform, approval,
                                                                             monkeypatch):
    from sqlalchemy.exc import OperationalError
    from sqlalchemy.orm import Session

    app.config["PROPAGATE_EXCEPTIONS"] = False
    headers = {**_token(client, "sales"), "Idempotency-Key": "flaky-db"}
    real_commit = Session.commit
    failures = iter([True])

    def commit(self):
        if next(failures, False):
            raise OperationalError("COMMIT", {}, Exception("server closed the connection"))
        return real_commit(self)

    monkeypatch.setattr(Session, "commit", commit)
    broken = client.post(START, json={}, headers=headers)
    assert broken.status_code == 500 and broken.json["request_id"] == broken.headers["X-Request-Id"]
    assert _instances(platform) == 0  # the client was told it failed, and nothing was saved
    retried = client.post(START, json={}, headers=headers)
    assert retried.status_code == 201 and _instances(platform) == 1


def test_a_double_submitted_start_form_starts_one_instance(login, platform, approval):
    sales = login("sales")
    page = sales.get("/processes/start/approval").get_data(as_text=True)
    [key] = re.findall(r'name="idempotency_key" value="([0-9a-f]+)"', page)
    answers = [sales.post("/processes/start/approval", {"idempotency_key": key}) for _ in range(2)]
    assert [a.status_code for a in answers] == [302, 302]
    assert answers[0].headers["Location"] == answers[1].headers["Location"]
    assert _instances(platform) == 1
    second_page = sales.get("/processes/start/approval").get_data(as_text=True)
    assert key not in second_page  # each rendering of the form is a new submission


def test_a_double_submitted_task_form_completes_once(login, platform, approval, client):
    sales = login("sales")
    task_id = sales.api("POST", START, json={}).json["current_tasks"][0]["id"]
    page = sales.get(f"/tasks/{task_id}").get_data(as_text=True)
    [key] = re.findall(r'name="idempotency_key" value="([0-9a-f]+)"', page)
    form = {"idempotency_key": key, "amount": "5", "reason": "twice"}
    answers = [sales.post(f"/tasks/{task_id}", form) for _ in range(2)]
    assert [a.status_code for a in answers] == [302, 302]  # not a 409 "already completed" page
    assert _events(platform, "task_completed") == 1


@pytest.mark.skipif(not servers_mode(), reason="parallel requests need PostgreSQL")
def test_the_same_key_in_parallel_starts_one_instance(app, platform, approval):
    headers = {**_token(app.test_client(), "sales"), "Idempotency-Key": "double-click"}
    barrier = threading.Barrier(4)
    answers = []

    def post():
        client = app.test_client()
        barrier.wait()
        answers.append(client.post(START, json={"customer_id": 1}, headers=headers))

    threads = [threading.Thread(target=post) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [a.status_code for a in answers] == [201] * 4
    assert len({a.json["id"] for a in answers}) == 1
    assert _instances(platform) == 1
