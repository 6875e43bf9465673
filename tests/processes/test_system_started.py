"""Processes the platform starts on its own (``started_by = system``: periodic sales reports, data-quality
batches) are not offered to people, and starting one by hand is refused, in the pages and in the API."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from engine.errors import DeploymentError
from engine.models import ProcessInstance
from tests.support.api_driver import BPMN_DIR, bpmn_files

SYSTEM_STARTED = ("sales_report", "data_quality")


@pytest.fixture
def shipped(platform):
    with platform.sessions.begin() as session:
        platform.engine.deploy(session, bpmn_files(p.name for p in sorted(BPMN_DIR.iterdir())), "owner")


def _token(client, username: str) -> dict:
    response = client.post("/api/auth/token", json={"username": username, "password": "demo"})
    return {"Authorization": f"Bearer {response.json['token']}"}


@pytest.mark.parametrize("username", ["sales", "info", "admin"])
def test_system_started_processes_are_not_offered(shipped, client, login, username):
    listed = {p["key"] for p in client.get("/api/processes", headers=_token(client, username)).json}
    menu = login(username).get("/processes/start").get_data(as_text=True)
    assert not listed & set(SYSTEM_STARTED)
    assert all(f"/processes/start/{key}" not in menu for key in SYSTEM_STARTED)
    if username == "sales":  # a process people start is still offered
        assert "customer_visit" in listed and "/processes/start/customer_visit" in menu


@pytest.mark.parametrize("key", SYSTEM_STARTED)
def test_starting_one_by_hand_is_refused(shipped, platform, client, login, key):
    admin = login("admin")
    answer = client.post(f"/api/processes/{key}/instances", json={}, headers=_token(client, "admin"))
    assert answer.status_code == 403 and "started by the system" in answer.json["error"]
    assert admin.get(f"/processes/start/{key}").status_code == 403
    assert admin.post(f"/processes/start/{key}", data={}).status_code == 403
    with platform.sessions() as session:
        assert session.scalar(select(func.count()).select_from(ProcessInstance)) == 0


def test_a_process_may_declare_no_other_starter(platform):
    declared = '<camunda:property name="started_by" value="%s"/>'
    source = (BPMN_DIR / "sales_report.bpmn").read_text().replace(declared % "system", declared % "everyone")
    with platform.sessions() as session, pytest.raises(DeploymentError) as refused:
        platform.engine.deploy(session, {"sales_report.bpmn": source.encode()}, "owner")
    assert any("started_by" in problem["message"] and "'everyone'" in problem["message"]
               for problem in refused.value.problems)
