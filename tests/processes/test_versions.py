"""Library, version diff and roll back."""

from __future__ import annotations

from sqlalchemy import select

from crm.audit import AuditLog
from engine.models import ProcessVersion
from engine.version_diff import diff_sources
from tests.engine.helpers import start
from tests.processes.helpers import FILE, KEY, chain, deploy, versions, with_request_field, with_salesdir_step


def test_diff_lists_added_removed_and_changed_elements():
    v1, v2 = chain(), with_request_field(with_salesdir_step(chain())).replace('name="Refused"', 'name="Declined"')
    diff = diff_sources(v1, v2, KEY, 5_000_000)
    assert {c.element for c in diff.added} == {"salesdir_approval", "f4"}
    changed = {c.element: c.details for c in diff.changed}
    assert set(changed) == {"request", "f3", "end_rejected"}
    assert changed["f3"] == ("targetRef: gw → salesdir_approval",)
    assert changed["end_rejected"] == ("name: Refused → Declined",)
    assert changed["request"] == ("extensions (form fields, service operation, ...) changed",)
    assert diff.removed == []
    back = diff_sources(v2, v1, KEY, 5_000_000)
    assert {c.element for c in back.removed} == {"salesdir_approval", "f4"}


def test_diff_notices_a_task_moving_lane_and_ignores_layout_and_whitespace():
    moved = chain().replace("<bpmn:flowNodeRef>review</bpmn:flowNodeRef>", "").replace(
        '<bpmn:lane id="Lane_salesdir" name="Sales director" />',
        '<bpmn:lane id="Lane_salesdir" name="Sales director"><bpmn:flowNodeRef>review</bpmn:flowNodeRef></bpmn:lane>')
    relaid = chain().replace('<dc:Bounds x="440" y="100"', '<dc:Bounds x="460" y="110"').replace("\n      ", "\n")
    assert [(c.element, c.details) for c in diff_sources(chain(), moved, KEY, 5_000_000).changed] == [
        ("review", ("lane: Customer director → Sales director",))]
    assert diff_sources(chain(), relaid, KEY, 5_000_000).is_empty


def test_diff_page_colours_both_diagrams(platform, login):
    deploy(platform, chain())
    deploy(platform, with_salesdir_step(chain()))
    page = login("owner").get(f"/processes/{KEY}/diff").get_data(as_text=True)
    assert "v1 → v2" in page and 'class="crm-diff-added"' in page
    assert '"crm-diff-added": ["salesdir_approval", "f4"]' in page


def test_library_lists_versions_with_instance_counts(platform, login, actors):
    deploy(platform, chain())
    start(platform, KEY, actors["sales"])
    deploy(platform, with_salesdir_step(chain()))
    page = login("owner").get("/processes/library").get_data(as_text=True)
    assert 'data-version="2"' in page and 'data-version="1"' in page
    assert "1 running" in page
    assert f"/files/{FILE}" in page and "Roll back to v1" in page


def test_roll_back_redeploys_old_sources_as_newest(platform, login):
    deploy(platform, chain())
    deploy(platform, with_salesdir_step(chain()))
    owner = login("owner")
    with platform.sessions() as session:
        v1 = session.scalar(select(ProcessVersion).where(ProcessVersion.version == 1))
    response = owner.post(f"/processes/versions/{v1.id}/rollback", {"reason": "the sales director is away"})
    assert response.status_code == 302
    assert [(v, xml == chain()) for v, xml in versions(platform)] == [(1, True), (2, False), (3, True)]
    with platform.sessions() as session:
        [entry] = session.scalars(select(AuditLog)).all()
        assert (entry.action, entry.detail, entry.reason) == (
            "process.rollback", {"version": 3, "sources_of": 1}, "the sales director is away")
    assert login("sales").post(f"/processes/versions/{v1.id}/rollback").status_code == 403
    assert len(versions(platform)) == 3
