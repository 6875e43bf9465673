"""A version's full BPMN source (scripts, conditions, forms) is for process owners and administrators; task pages
draw a diagram without them."""

from __future__ import annotations

from sqlalchemy import select

from engine.models import ProcessVersion


def test_the_full_source_is_for_owners_the_diagram_for_everyone(platform, login):
    source = (platform.settings.bpmn_dir / "bidding.bpmn").read_text()
    with platform.sessions.begin() as session:
        platform.engine.deploy(session, {"bidding.bpmn": source.encode()}, "owner")
    with platform.sessions() as session:
        version_id = session.scalar(select(ProcessVersion.id).where(ProcessVersion.filename == "bidding.bpmn"))
    assert "<bpmn:script>" in source and "conditionExpression" in source and "formData" in source
    for name in ("owner", "admin"):
        assert login(name).get(f"/processes/versions/{version_id}.bpmn").get_data(as_text=True) == source
    sales = login("sales")
    assert sales.get(f"/processes/versions/{version_id}.bpmn").status_code == 403
    diagram = sales.get(f"/processes/versions/{version_id}/diagram.bpmn")
    text = diagram.get_data(as_text=True)
    assert diagram.status_code == 200 and "BPMNShape" in text and "scriptTask" in text
    for hidden in ("extensionElements", "formData", "conditionExpression", "<bpmn:script>"):
        assert hidden not in text, hidden
