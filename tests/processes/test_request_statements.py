"""Per-request work that does not need repeating (issue 18 item 2): the user, their roles and their data scope are
read once per request, however many checks ask for them; a change shows on the next request. Counted in SQL
statements (not timed)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from crm.accounts.users import User
from crm.customers.models import Customer
from tests.engine.helpers import deploy
from tests.support.statements import statements


def _token(client, username: str) -> dict:
    answer = client.post("/api/auth/token", json={"username": username, "password": "demo"})
    return {"Authorization": f"Bearer {answer.json['token']}"}


@pytest.fixture
def task_id(platform, client):
    deploy(platform, "approval.bpmn")
    owner = _token(client, "sales")
    with platform.sessions() as session:
        sales_id = session.scalar(select(User.id).where(User.username == "sales"))
    with platform.sessions.begin() as session:  # a customer of sales: the task sits in a scoped lane
        customer = Customer(company="Scope Test", owner_id=sales_id)
        session.add(customer)
        session.flush()
        customer_id = customer.id
    created = client.post("/api/processes/approval/instances", json={"customer_id": customer_id}, headers=owner)
    return created.json["current_tasks"][0]["id"]


def test_a_completion_reads_the_user_roles_and_scope_once(platform, client, task_id):
    sales = _token(client, "sales")
    assert client.get(f"/api/tasks/{task_id}", headers=sales).status_code == 200  # forms cached, as in steady use
    with statements(platform) as seen:
        done = client.post(f"/api/tasks/{task_id}/complete", json={"amount": "250.10", "reason": "x"}, headers=sales)
    assert done.status_code == 200, done.json
    users = [s for s in seen if s.startswith("SELECT app_user.id") and "app_user.username =" in s]
    scopes = [s for s in seen if "reports" in s and "RECURSIVE" in s]
    roles = [s for s in seen if s.startswith("SELECT user_role.user_id")]
    assert (len(users), len(scopes), len(roles)) == (0, 1, 0), "\n".join(seen)


def test_a_new_subordinate_is_in_scope_on_the_next_request(platform, client, task_id):
    """The scope is remembered for one request only: a team change takes effect at once."""
    sales2 = _token(client, "sales2")
    assert client.get(f"/api/tasks/{task_id}", headers=sales2).status_code == 404
    with platform.sessions.begin() as session:
        sales = session.scalar(select(User).where(User.username == "sales"))
        sales2_user = session.scalar(select(User).where(User.username == "sales2"))
        saved = sales.manager_id
        sales.manager_id = sales2_user.id
    try:
        assert client.get(f"/api/tasks/{task_id}", headers=sales2).status_code == 200
    finally:
        with platform.sessions.begin() as session:
            session.scalar(select(User).where(User.username == "sales")).manager_id = saved


def _queries(seen: list[str]) -> list[str]:
    """The statements that read or write (SQLite's ``BEGIN`` left out)."""
    return [s for s in seen if not s.startswith("BEGIN")]


def _reads(seen: list[str], table: str) -> list[str]:
    return [s for s in seen if s.startswith("SELECT") and f" FROM {table} " in f"{s} "]


def test_an_api_completion_reads_the_task_once_with_its_lock_and_not_the_hooks(platform, client, task_id):
    """The task and its instance are read once (locked), not again for the form, the engine and the answer; the
    webhooks not at all (whether any is active rides along with the step's write); the answer's open tasks are the
    rows the step wrote (not read)."""
    sales = _token(client, "sales")
    with statements(platform) as seen:
        done = client.post(f"/api/tasks/{task_id}/complete", json={"amount": "250.10", "reason": "x"}, headers=sales)
    assert done.status_code == 200, done.json
    assert done.json["current_tasks"][0]["name"] and done.json["outcome"]["kind"] == "success"
    task_reads = _reads(seen, "human_task")  # the task with its instance (locked); the open tasks come from the step
    assert len(task_reads) == 1 and "process_instance.state" in task_reads[0], "\n".join(seen)
    if platform.settings.database_url.startswith("postgresql"):
        assert task_reads[0].endswith("FOR UPDATE OF process_instance"), task_reads[0]
    assert not _reads(seen, "process_instance"), "\n".join(seen)
    assert not _reads(seen, "webhook"), "\n".join(seen)  # no hook is active: asked along with the step's write


def test_an_api_start_reads_the_process_version_once(platform, client, task_id):
    sales = _token(client, "sales")
    with statements(platform) as seen:
        started = client.post("/api/processes/approval/instances", json={}, headers=sales)
    assert started.status_code == 201, started.json
    assert len(_reads(seen, "process_version")) == 1, "\n".join(seen)


def test_an_api_start_answers_without_reading_the_tasks_it_created(platform, client, task_id):
    """The answer's open tasks are the rows the start just wrote; the signed-in user (with roles, team and reports)
    is one statement; besides the engine's work only the history is read."""
    sales = _token(client, "sales")
    with statements(platform) as seen:
        started = client.post("/api/processes/approval/instances", json={}, headers=sales)
    assert started.status_code == 201, started.json
    assert [t["name"] for t in started.json["current_tasks"]] == ["request"]
    assert not _reads(seen, "human_task"), "\n".join(seen)
    assert len([s for s in seen if "RECURSIVE" in s]) == 1, "\n".join(seen)  # the user with their reports
    assert len(_reads(seen, "instance_event")) == 1, "\n".join(seen)


def test_the_api_task_detail_reads_the_user_and_the_task_only(platform, client, task_id):
    """``GET /api/tasks/<id>``: the user with their scope; the task with its instance, saved state and customer
    owner — 2 statements (12 before; 5 while it also read the history, the customer's name and the comments that
    only the task page shows)."""
    sales = _token(client, "sales")
    assert client.get(f"/api/tasks/{task_id}", headers=sales).status_code == 200  # forms cached, as in steady use
    with statements(platform) as seen:
        shown = client.get(f"/api/tasks/{task_id}", headers=sales)
    assert shown.status_code == 200, shown.json
    assert shown.json["data"]["customer_id"] and shown.json["instance"]["id"]
    assert len(_queries(seen)) == 2, "\n".join(seen)
    user, task = _queries(seen)
    assert "FROM app_user" in user and "RECURSIVE" in user, user
    assert "FROM human_task JOIN process_instance" in task and ".state" in task and "customer.owner_id" in task, task


def test_the_task_page_reads_each_table_once(platform, client, login, task_id):
    """The HTML task page reads what the API detail reads, plus the lane's colleagues it may hand the task to and
    the unread notifications of the menu: 7 statements (14 before)."""
    sales = login("sales")
    assert sales.get(f"/tasks/{task_id}").status_code == 200
    with statements(platform) as seen:
        page = sales.get(f"/tasks/{task_id}")
    assert page.status_code == 200
    assert "Scope Test" in page.get_data(as_text=True)
    assert len(_queries(seen)) == 7, "\n".join(seen)
    assert len([s for s in seen if "RECURSIVE" in s]) == 1, "\n".join(seen)


def test_a_task_of_someone_else_s_customer_is_not_found_with_one_read(platform, client, task_id):
    """The visibility check reads the customer's owner with the task: ``sales2`` (not sales's manager) gets 404."""
    sales2 = _token(client, "sales2")
    with statements(platform) as seen:
        answer = client.get(f"/api/tasks/{task_id}", headers=sales2)
    assert answer.status_code == 404
    assert len(_queries(seen)) == 2, "\n".join(seen)  # the user with their reports, the task with its customer's owner


def test_a_task_page_submission_builds_no_page_when_it_succeeds(platform, client, login, task_id):
    """Completing from the HTML page reads the task for its form and then completes it as the API does: no history,
    comments, labels or workflow for a page that is not shown (it redirects)."""
    sales = login("sales")
    assert sales.get(f"/tasks/{task_id}").status_code == 200 and sales.csrf_token()  # forms cached, as in steady use
    with statements(platform) as seen:
        done = sales.post(f"/tasks/{task_id}", data={"amount": "250.10", "reason": "x"})
    assert done.status_code == 302, done.get_data(as_text=True)
    assert not _reads(seen, "instance_event") and not _reads(seen, "task_comment"), "\n".join(seen)
    # the task to see its form, the task locked to complete it, the open tasks for the message after it
    assert len(_reads(seen, "human_task")) == 3, "\n".join(seen)
