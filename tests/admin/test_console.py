"""The admin console over HTTP: find, explain and repair instances; every action needs a reason."""

import re

import pytest
from sqlalchemy import select

from engine.models import InstanceEvent
from tests.engine.helpers import complete, data, deploy, instance, ready_tasks, start


def _history(platform, instance_id):
    with platform.sessions() as session:
        return [(e.kind, e.actor, e.message) for e in session.scalars(
            select(InstanceEvent).where(InstanceEvent.instance_id == instance_id).order_by(InstanceEvent.id))]


@pytest.fixture
def admin(login):
    return login("admin")


def test_only_admins_see_the_console(login):
    assert login("sales").get("/admin/instances").status_code == 403
    assert login("owner").get("/admin/health").status_code == 403


def test_find_explain_and_retry_a_failed_handler(platform, actors, admin, tmp_path, settle_jobs):
    flag = tmp_path / "down"
    flag.write_text("down")
    deploy(platform, "services.bpmn")
    instance_id = start(platform, "services", actors["sales"], {"flag_path": str(flag)})
    settle_jobs()
    health = admin.get("/admin/health").get_data(as_text=True)
    assert re.search(r'id="error-count"[^>]*>1<', health)
    listing = admin.get("/admin/instances?status=error").get_data(as_text=True)
    assert f"#{instance_id}" in listing and "outside system unavailable" in listing
    page = admin.get(f"/admin/instances/{instance_id}").get_data(as_text=True)
    assert "Failed at Call outside system:" in page and "ConnectionError" in page and "Traceback" in page

    refused = admin.post(f"/admin/instances/{instance_id}/retry", {"reason": ""}, follow_redirects=True)
    assert "needs a reason" in refused.get_data(as_text=True)
    assert instance(platform, instance_id).status == "error"

    flag.unlink()
    admin.post(f"/admin/instances/{instance_id}/retry", {"reason": "gateway is back"})
    settle_jobs()
    assert instance(platform, instance_id).status == "running"
    assert [t.task_name for t in ready_tasks(platform, instance_id)] == ["check"]
    assert ("retry_requested", "admin", "gateway is back") in _history(platform, instance_id)


def test_rewind_a_completed_instance_and_finish_again(platform, actors, admin):
    deploy(platform, "approval.bpmn")
    instance_id = start(platform, "approval", actors["sales"])
    complete(platform, ready_tasks(platform, instance_id)[0].id, actors["sales"], {"amount": 10})
    complete(platform, ready_tasks(platform, instance_id)[0].id, actors["custdir"], {"approved": False})
    assert instance(platform, instance_id).status == "completed"
    page = admin.get(f"/admin/instances/{instance_id}").get_data(as_text=True)
    target = re.search(r'<option value="([0-9a-f-]{36})">Describe request</option>', page).group(1)
    preview = admin.get(f"/admin/instances/{instance_id}/rewind-preview?task_id={target}").json
    assert preview == {"service_tasks_run_again": []}
    admin.post(f"/admin/instances/{instance_id}/rewind", {"task_id": target, "reason": "wrong amount"})
    assert instance(platform, instance_id).status == "running"
    [task] = ready_tasks(platform, instance_id)
    assert task.task_name == "request"
    complete(platform, task.id, actors["sales"], {"amount": 20})
    complete(platform, ready_tasks(platform, instance_id)[0].id, actors["custdir"], {"approved": True})
    assert instance(platform, instance_id).status == "completed"
    assert data(platform, instance_id)["amount"] == 20
    assert ("rewound", "admin", "wrong amount") in _history(platform, instance_id)


def test_suspend_resume_terminate_and_edit_data(platform, actors, admin, login):
    deploy(platform, "approval.bpmn")
    instance_id = start(platform, "approval", actors["sales"])
    [task] = ready_tasks(platform, instance_id)
    admin.post(f"/admin/instances/{instance_id}/suspend", {"reason": "customer on hold"})
    assert instance(platform, instance_id).status == "suspended"
    blocked = login("sales").post(f"/tasks/{task.id}", {"amount": "1"}, follow_redirects=True)
    assert "the process is suspended" in blocked.get_data(as_text=True)
    assert [t.task_name for t in ready_tasks(platform, instance_id)] == ["request"]
    admin.post(f"/admin/instances/{instance_id}/resume", {"reason": "back on"})
    assert instance(platform, instance_id).status == "running"

    admin.post(f"/admin/instances/{instance_id}/edit-data", {"data": '{"priority_note": "vip"}', "reason": "call"})
    assert data(platform, instance_id)["priority_note"] == "vip"
    bad = admin.post(f"/admin/instances/{instance_id}/edit-data", {"data": "{oops", "reason": "x"},
                     follow_redirects=True)
    assert "not valid JSON" in bad.get_data(as_text=True)

    admin.post(f"/admin/instances/{instance_id}/complete-task",
               {"task_id": task.id, "data": '{"amount": 5}', "reason": "sales is ill"})
    assert [t.task_name for t in ready_tasks(platform, instance_id)] == ["review"]

    admin.post(f"/admin/instances/{instance_id}/terminate", {"reason": "duplicate"})
    assert instance(platform, instance_id).status == "terminated"
    assert ready_tasks(platform, instance_id) == []
    kinds = [k for k, _, _ in _history(platform, instance_id)]
    for kind in ("suspended", "resumed", "data_edited", "completed_by_hand", "terminated"):
        assert kind in kinds


def test_fire_timer_now_and_skip_a_failed_task(platform, actors, admin, settle_jobs):
    deploy(platform, "timer.bpmn", "broken_handler.bpmn")
    waiting = start(platform, "timer", actors["sales"], {"wait_for": "P10D"})
    admin.post(f"/admin/instances/{waiting}/fire-timer", {"reason": "customer called early"})
    settle_jobs()
    assert [t.task_name for t in ready_tasks(platform, waiting)] == ["work"]

    broken = start(platform, "broken_handler", actors["sales"])
    complete(platform, ready_tasks(platform, broken)[0].id, actors["sales"], {"value": 1})
    assert instance(platform, broken).status == "error"
    page = admin.get(f"/admin/instances/{broken}").get_data(as_text=True)
    failed_task = re.search(r'skip-task".*?name="task_id" value="([0-9a-f-]{36})"', page, re.S).group(1)
    admin.post(f"/admin/instances/{broken}/skip-task", {"task_id": failed_task, "reason": "graded by hand"})
    assert instance(platform, broken).status == "completed"


def test_bulk_actions_report_refusals(platform, actors, admin):
    deploy(platform, "approval.bpmn")
    ids = [start(platform, "approval", actors["sales"]) for _ in range(3)]
    response = admin.post("/admin/instances/bulk", {"ids": [str(i) for i in ids], "action": "suspend",
                                                   "reason": "audit"}, follow_redirects=True)
    assert "suspend: 3 instances done." in response.get_data(as_text=True)
    again = admin.post("/admin/instances/bulk", {"ids": [str(ids[0])], "action": "retry", "reason": "x"},
                       follow_redirects=True)
    assert "1 refused" in again.get_data(as_text=True)
    assert all(instance(platform, i).status == "suspended" for i in ids)


def test_cli_repairs(app, platform, actors, tmp_path, settle_jobs):
    flag = tmp_path / "down"
    flag.write_text("down")
    deploy(platform, "services.bpmn", "approval.bpmn")
    broken = start(platform, "services", actors["sales"], {"flag_path": str(flag)})
    settle_jobs()
    runner = app.test_cli_runner()
    flag.unlink()
    result = runner.invoke(args=["engine", "retry", str(broken), "--reason", "fixed"])
    assert result.exit_code == 0, result.output
    settle_jobs()
    assert instance(platform, broken).status == "running"

    done = start(platform, "approval", actors["sales"])
    complete(platform, ready_tasks(platform, done)[0].id, actors["sales"], {"amount": 1})
    complete(platform, ready_tasks(platform, done)[0].id, actors["custdir"], {"approved": True})
    rewound = runner.invoke(args=["engine", "rewind", str(done), "review", "--reason", "reopen"])
    assert rewound.exit_code == 0 and "running" in rewound.output
    assert runner.invoke(args=["engine", "suspend", str(done), "--reason", "r"]).exit_code == 0
    assert runner.invoke(args=["engine", "resume", str(done), "--reason", "r"]).exit_code == 0
    assert "terminated" in runner.invoke(args=["engine", "terminate", str(done), "--reason", "r"]).output
    refused = runner.invoke(args=["engine", "retry", str(done), "--reason", "r", "--user", "sales"])
    assert refused.exit_code != 0 and "not an administrator" in refused.output


def test_migrate_from_the_console_and_the_audit_log(platform, actors, admin):
    from crm.audit import entries
    from tests.engine.helpers import bpmn

    deploy(platform, "approval.bpmn")
    instance_id = start(platform, "approval", actors["sales"])
    changed = bpmn("approval.bpmn").replace(b'name="Review request"', b'name="Director review"')
    with platform.sessions.begin() as session:
        platform.engine.deploy(session, {"approval.bpmn": changed}, "owner")
    admin.post(f"/admin/instances/{instance_id}/migrate", {"reason": "new review wording"})
    assert instance(platform, instance_id).version.version == 2
    complete(platform, ready_tasks(platform, instance_id)[0].id, actors["sales"], {"amount": 3})
    assert [t.title for t in ready_tasks(platform, instance_id)] == ["Director review"]
    already = admin.post(f"/admin/instances/{instance_id}/migrate", {"reason": "again"}, follow_redirects=True)
    assert "already runs the newest version" in already.get_data(as_text=True)
    with platform.sessions() as session:
        [entry] = entries(session, action_prefix="instance.")
        assert (entry.actor, entry.action, entry.target, entry.reason) == (
            "admin", "instance.migrate", f"instance:{instance_id}", "new review wording")


def test_the_instance_list_names_the_customer_and_filters_by_name(platform, actors, admin):
    from crm.customers.models import Customer

    deploy(platform, "approval.bpmn")
    with platform.sessions.begin() as session:
        ours, other = Customer(company="上海船舶重工有限公司"), Customer(company="Other Co.")
        session.add_all([ours, other])
        session.flush()
        ids = ours.id, other.id
    mine = start(platform, "approval", actors["sales"], {"customer_id": ids[0]})
    theirs = start(platform, "approval", actors["sales"], {"customer_id": ids[1]})
    with platform.sessions.begin() as session:  # the approval diagram has no customer: link them as a start would
        from engine.models import ProcessInstance

        session.get(ProcessInstance, mine).customer_id = ids[0]
        session.get(ProcessInstance, theirs).customer_id = ids[1]
    listing = admin.get("/admin/instances").get_data(as_text=True)
    assert "上海船舶重工有限公司" in listing and "Other Co." in listing
    filtered = admin.get("/admin/instances?customer=船舶").get_data(as_text=True)
    assert f"#{mine}<" in filtered and f"#{theirs}<" not in filtered
