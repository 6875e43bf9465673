"""Backup and restore drill: ``pg_dump`` a database with running instances, restore it into a fresh
database, start the app and an rq worker on the copy, and carry a sample of instances to the end."""

from __future__ import annotations

import subprocess
import uuid

import pytest
from sqlalchemy.engine import make_url

from app import create_app
from tests.conftest import make_settings, start_worker, stop_workers
from tests.engine.helpers import complete, deploy, instance, ready_tasks, start
from tests.support.jobs import settle
from tests.support.timers import make_timers_due
from tests.support.web import WebUser


def _pg(tool: str, url: str, *args: str) -> None:
    """Run a PostgreSQL client tool against the server of ``url`` (raises with its message on failure)."""
    parsed = make_url(url)
    command = [tool, "-h", parsed.host or "127.0.0.1", "-p", str(parsed.port or 5432),
               "-U", parsed.username or "postgres", *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"{' '.join(command)}: {done.stderr}"


@pytest.fixture
def restored(database_url, queue_name, tmp_path):
    """``restore()`` -> (app, worker) on a copy of the test database made with pg_dump/pg_restore."""
    copy_name = f"crm_ops_restore_{uuid.uuid4().hex[:8]}"
    copy_url = make_url(database_url).set(database=copy_name).render_as_string(hide_password=False)
    made: list = []

    def restore():
        dump = tmp_path / "crm.dump"
        _pg("pg_dump", database_url, "-d", make_url(database_url).database, "-Fc", "-f", str(dump))
        _pg("createdb", database_url, copy_name)
        _pg("pg_restore", database_url, "-d", copy_name, "--no-owner", "--exit-on-error", str(dump))
        settings = make_settings(copy_url, queue_name + "-restored")
        app = create_app(settings)
        worker = start_worker(copy_url, settings.queue_name)
        made.extend([app, worker])
        return app, worker

    yield restore
    if made:
        app, worker = made
        stop_workers([worker])
        app.extensions["crm"].dispatcher.queue.empty()
        app.extensions["crm"].db.dispose()
    _pg("dropdb", database_url, "--if-exists", "--force", copy_name)


def test_a_restored_backup_carries_running_instances_to_the_end(platform, actors, restored):
    deploy(platform, "approval.bpmn", "timer.bpmn")
    at_request = start(platform, "approval", actors["sales"], {"customer_id": 3})
    at_review = start(platform, "approval", actors["sales"])
    complete(platform, ready_tasks(platform, at_review)[0].id, actors["sales"], {"amount": "120.50", "reason": "x"})
    waiting = start(platform, "timer", actors["sales"], {"wait_for": "P1D"})
    before = {i: instance(platform, i).status for i in (at_request, at_review, waiting)}

    app, _worker = restored()
    copy = app.extensions["crm"]
    client = app.test_client()
    assert client.get("/readyz").status_code == 200
    assert {i: instance(copy, i).status for i in before} == before
    assert [t.task_name for t in ready_tasks(copy, at_review)] == ["review"]

    sales = WebUser(app.test_client(), "sales").login()  # users, roles and password hashes came along
    task = ready_tasks(copy, at_request)[0]
    answer = sales.api("POST", f"/api/tasks/{task.id}/complete", {"amount": "99.00", "reason": "restored"})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    for instance_id in (at_request, at_review):
        review = ready_tasks(copy, instance_id)[0]
        complete(copy, review.id, actors["custdir"], {"approved": True})
    make_timers_due(copy, waiting)
    settle(copy)  # the timer fires through the restored outbox and the worker on the copy
    complete(copy, ready_tasks(copy, waiting)[0].id, actors["sales"], {"done": True})
    settle(copy)
    assert {i: instance(copy, i).status for i in before} == dict.fromkeys(before, "completed")
    assert {i: instance(platform, i).status for i in before} == before  # the original is untouched
