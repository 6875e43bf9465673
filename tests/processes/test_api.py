"""The JSON API: tokens, processes, instances, tasks with form definitions, 401/403/404/409/422."""

import pytest

from tests.engine.helpers import deploy


@pytest.fixture
def approval(platform):
    deploy(platform, "approval.bpmn")


def _token(client, username: str) -> dict:
    response = client.post("/api/auth/token", json={"username": username, "password": "demo"})
    assert response.status_code == 200, response.json
    return {"Authorization": f"Bearer {response.json['token']}"}


def test_openapi_document_lists_every_api_route(app, client):
    document = client.get("/api/openapi.json").json
    assert document["openapi"].startswith("3.")
    documented = set(document["paths"])
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            path = rule.rule.replace("<int:", "{").replace("<", "{").replace(">", "}")
            path = path.replace("{task_id}", "{id}").replace("{instance_id}", "{id}")
            assert path in documented, f"{rule.rule} is not in openapi.json"


def test_token_login_and_bad_credentials(client):
    assert client.post("/api/auth/token", json={"username": "sales", "password": "nope"}).status_code == 401
    assert client.get("/api/tasks").status_code == 401
    headers = _token(client, "sales")
    assert client.get("/api/tasks", headers=headers).status_code == 200
    assert client.get("/api/tasks", headers={"Authorization": "Bearer forged.token"}).status_code == 401


def test_full_flow_over_the_api(client, approval):
    sales, custdir = _token(client, "sales"), _token(client, "custdir")
    [process] = client.get("/api/processes", headers=sales).json
    assert process["key"] == "approval" and process["version"] == 1
    created = client.post("/api/processes/approval/instances", json={"customer_id": 12}, headers=sales)
    assert created.status_code == 201
    instance = created.json
    assert instance["status"] == "running" and instance["customer_id"] == 12
    [task] = instance["current_tasks"]

    listed = client.get("/api/tasks", headers=sales).json
    assert [t["id"] for t in listed["queue"]] == [task["id"]] and listed["counts"] == {"mine": 0, "queue": 1}

    detail = client.get(f"/api/tasks/{task['id']}", headers=sales).json
    fields = {f["id"]: f for f in detail["form"]["fields"]}
    assert fields["amount"]["type"] == "decimal" and fields["amount"]["required"] is True
    assert fields["amount"]["min"] in (0, "0")

    claimed = client.post(f"/api/tasks/{task['id']}/claim", headers=sales).json
    assert claimed["assignee"] == "sales"

    invalid = client.post(f"/api/tasks/{task['id']}/complete", json={"amount": "-3"}, headers=sales)
    assert invalid.status_code == 422 and "amount" in invalid.json["fields"]

    done = client.post(f"/api/tasks/{task['id']}/complete", json={"amount": "250.10", "reason": "x"}, headers=sales)
    assert done.status_code == 200 and done.json["data"]["amount"] == "250.10"
    [review] = done.json["current_tasks"]
    assert review["role"] == "customer_director"

    again = client.post(f"/api/tasks/{task['id']}/complete", json={"amount": "1"}, headers=sales)
    assert again.status_code == 409 and "already completed" in again.json["error"]

    assert client.get(f"/api/tasks/{review['id']}", headers=sales).status_code == 404
    finished = client.post(f"/api/tasks/{review['id']}/complete", json={"approved": True}, headers=custdir)
    assert finished.json["status"] == "completed"
    history = client.get(f"/api/instances/{instance['id']}", headers=custdir).json["history"]
    assert [h["kind"] for h in history] == ["started", "claimed", "task_completed", "task_completed", "completed"]


def test_forbidden_start_and_unknown_things(client, approval):
    finance = _token(client, "finance")
    assert client.post("/api/processes/approval/instances", json={}, headers=finance).status_code == 403
    assert client.post("/api/processes/nope/instances", json={}, headers=finance).status_code == 404
    assert client.get("/api/instances/999999", headers=finance).status_code == 404
    assert client.post("/api/processes/approval/instances", data="[1]", headers={
        **finance, "Content-Type": "application/json"}).status_code == 422


def test_session_api_calls_need_the_csrf_header(login, approval):
    sales = login("sales")
    without = sales.client.post("/api/processes/approval/instances", json={})
    assert without.status_code == 400
    with_header = sales.api("POST", "/api/processes/approval/instances", json={})
    assert with_header.status_code == 201


def test_lookup_lists_users(client):
    headers = _token(client, "sales")
    rows = client.get("/api/lookup/user?q=Sales", headers=headers).json
    assert {"Sid Sales-Director", "Sam Sales", "Sue Sales"} <= {r["label"] for r in rows}
    assert client.get("/api/lookup/planet", headers=headers).status_code == 404


def test_instances_are_visible_only_to_those_involved(client, approval):
    sales, finance = _token(client, "sales"), _token(client, "finance")
    created = client.post("/api/processes/approval/instances", json={}, headers=sales).json
    assert client.get(f"/api/instances/{created['id']}", headers=sales).status_code == 200
    assert client.get(f"/api/instances/{created['id']}", headers=finance).status_code == 404
    assert client.get(f"/api/instances/{created['id']}", headers=_token(client, "admin")).status_code == 200
