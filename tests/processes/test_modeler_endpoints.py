"""The modeler's page and JSON endpoints: open, draft, validate, deploy; owners and admins only."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select

from crm.audit import AuditLog
from crm.processes.drafts import ProcessDraft
from tests.engine.helpers import complete, start
from tests.processes.helpers import FILE, KEY, chain, deploy, ready, versions, with_salesdir_step


@pytest.fixture
def owner(platform, login):
    deploy(platform, chain())
    return login("owner")


def page_data(response) -> dict:
    match = re.search(r'<script type="application/json" id="crm-modeler-data">(.*?)</script>',
                      response.get_data(as_text=True), re.S)
    return json.loads(match.group(1))


@pytest.mark.parametrize("url", ["/processes/library", f"/processes/{KEY}/edit", f"/processes/{KEY}/diff",
                                 f"/processes/{KEY}/migrate"])
def test_only_owners_and_admins_see_authoring_pages(platform, login, url):
    deploy(platform, chain())
    assert login("sales").get(url).status_code == 403
    assert login("admin").get(url).status_code == 200
    assert login("owner").get(url).status_code == 200


def test_others_cannot_save_validate_or_deploy(owner, login, platform):
    sales = login("sales")
    body = {"files": {FILE: with_salesdir_step(chain())}}
    for endpoint in ("draft", "validate", "deploy"):
        assert sales.api("POST", f"/processes/{KEY}/{endpoint}", body).status_code == 403
    assert [v for v, _ in versions(platform)] == [1]


def test_json_endpoints_need_the_csrf_token(owner):
    response = owner.client.post(f"/processes/{KEY}/deploy", json={"files": {FILE: chain()}})
    assert response.status_code == 400


def test_opening_a_process_loads_the_deployed_version(owner):
    data = page_data(owner.get(f"/processes/{KEY}/edit"))
    assert data["main"] == FILE and data["files"] == {FILE: chain()} and data["baseVersion"] == 1
    assert {"key": "sales_director", "label": "Sales director"} in data["catalog"]["roles"]
    assert data["catalog"]["languages"] == [{"code": "zh_CN", "name": "中文"}]  # the site speaks English here
    assert any(op["name"] == "test.echo" for op in data["catalog"]["operations"])


def test_a_draft_is_kept_until_discarded(owner, platform):
    edited = with_salesdir_step(chain())
    response = owner.api("POST", f"/processes/{KEY}/draft", {"files": {FILE: edited}, "baseVersion": 1})
    assert response.status_code == 200 and response.json["savedBy"] == "owner"
    assert page_data(owner.get(f"/processes/{KEY}/edit"))["files"] == {FILE: edited}
    assert "draft" in owner.get("/processes/library").get_data(as_text=True)
    assert [v for v, _ in versions(platform)] == [1]  # a draft is not a version
    owner.post(f"/processes/{KEY}/draft/discard")
    assert page_data(owner.get(f"/processes/{KEY}/edit"))["files"] == {FILE: chain()}


def test_validation_names_the_elements(owner):
    broken = with_salesdir_step(chain()).replace(
        "<bpmn:flowNodeRef>salesdir_approval</bpmn:flowNodeRef>", "").replace(
        'name="Customer director"', 'name="Janitor"', 1)
    broken = broken.replace('<bpmn:userTask id="review" name="Customer director review">',
                            '<bpmn:userTask id="review" name="Customer director review" camunda:candidateUsers="cara">')
    report = owner.api("POST", f"/processes/{KEY}/validate", {"files": {FILE: broken}}).json
    assert not report["ok"]
    errors = {(e["element"], e["message"]) for e in report["errors"]}
    assert ("salesdir_approval", "the task is not in a lane: draw it inside the lane of the role that does it "
                                 "(lanes are approver roles)") in errors
    assert ("review", "lane 'Janitor' is not a known role: choose the lane's Approver role from the list") in errors
    assert {(w["element"], w["severity"]) for w in report["warnings"]
            if "declares no context" not in w["message"]} == {("review", "warning")}
    clean = owner.api("POST", f"/processes/{KEY}/validate", {"files": {FILE: with_salesdir_step(chain())}}).json
    assert clean["ok"] and clean["errors"] == []
    assert all("declares no context" in w["message"] for w in clean["warnings"])


def test_deploy_makes_a_version_keeps_running_instances_and_is_audited(owner, platform, actors, login):
    before = start(platform, KEY, actors["sales"])
    owner.api("POST", f"/processes/{KEY}/draft", {"files": {FILE: chain()}, "baseVersion": 1})
    response = owner.api("POST", f"/processes/{KEY}/deploy",
                         {"files": {FILE: with_salesdir_step(chain())}, "comment": "sales director signs off",
                          "baseVersion": 1})
    assert response.status_code == 200, response.json
    assert response.json["versions"] == [{"key": KEY, "name": "Discount approval", "version": 2, "created": True}]
    with platform.sessions() as session:
        [entry] = session.scalars(select(AuditLog)).all()
        assert (entry.actor, entry.action, entry.target, entry.detail["version"], entry.reason) == (
            "owner", "process.deploy", f"process:{KEY}", 2, "sales director signs off")
        assert session.get(ProcessDraft, KEY) is None  # the deployed draft is gone

    after = start(platform, KEY, actors["sales"])
    for instance_id in (before, after):
        complete(platform, ready(platform, instance_id)[0].id, actors["sales"], {"amount": "100"})
        complete(platform, ready(platform, instance_id)[0].id, actors["custdir"], {"approved": True})
    assert ready(platform, before) == []  # v1: the review was the last step
    [step] = ready(platform, after)
    assert (step.task_name, step.role) == ("salesdir_approval", "sales_director")
    assert "Sales director approval" in login("salesdir").get("/worklist/?list=queue").get_data(as_text=True)


def test_a_draft_with_errors_cannot_be_deployed(owner, platform):
    broken = with_salesdir_step(chain()).replace("<bpmn:flowNodeRef>salesdir_approval</bpmn:flowNodeRef>", "")
    response = owner.api("POST", f"/processes/{KEY}/deploy", {"files": {FILE: broken}, "baseVersion": 1})
    assert response.status_code == 422 and not response.json["ok"]
    assert response.json["errors"][0]["element"] == "salesdir_approval"
    assert [v for v, _ in versions(platform)] == [1]
    with platform.sessions() as session:
        assert session.scalars(select(AuditLog)).all() == []


def test_a_new_process_starts_as_a_draft(platform, login):
    owner = login("owner")
    response = owner.post("/processes/library/new", {"key": "visit_plan", "name": "Visit plan"})
    assert response.status_code == 302 and response.location.endswith("/processes/visit_plan/edit")
    data = page_data(owner.get("/processes/visit_plan/edit"))
    assert list(data["files"]) == ["visit_plan.bpmn"] and data["baseVersion"] is None
    report = owner.api("POST", "/processes/visit_plan/deploy", {"files": data["files"]}).json
    assert report["versions"][0]["version"] == 1
    assert owner.post("/processes/library/new", {"key": "visit_plan"}).status_code == 302
    assert "exists already" in owner.get("/processes/library").get_data(as_text=True)


def test_a_draft_saved_by_someone_else_is_not_overwritten(owner, platform, login):
    url = f"/processes/{KEY}/draft"
    first = owner.api("POST", url, {"files": {FILE: chain()}, "baseVersion": 1, "revision": None}).json
    admin = login("admin")
    assert admin.api("POST", url, {"files": {FILE: with_salesdir_step(chain())}, "baseVersion": 1,
                                   "revision": first["revision"]}).status_code == 200
    stale = owner.api("POST", url, {"files": {FILE: chain()}, "baseVersion": 1, "revision": first["revision"]})
    assert stale.status_code == 409 and "admin changed the draft" in stale.json["errors"][0]["message"]
    assert page_data(owner.get(f"/processes/{KEY}/edit"))["files"] == {FILE: with_salesdir_step(chain())}


def test_deploying_over_a_newer_version_needs_confirmation(owner, platform):
    deploy(platform, with_salesdir_step(chain()))  # someone deployed v2 while the owner edited v1
    body = {"files": {FILE: chain().replace('name="Refused"', 'name="Declined"')}, "baseVersion": 1}
    stale = owner.api("POST", f"/processes/{KEY}/deploy", body)
    assert stale.status_code == 409 and stale.json["conflict"]
    assert "v2 was deployed by owner since this draft started from v1" in stale.json["errors"][0]["message"]
    assert [v for v, _ in versions(platform)] == [1, 2]
    assert owner.api("POST", f"/processes/{KEY}/deploy", {**body, "force": True}).json["versions"][0]["version"] == 3
