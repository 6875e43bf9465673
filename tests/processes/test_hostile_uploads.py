"""Hostile files are refused with a message through the upload form and the modeler, and nothing changes."""

from __future__ import annotations

import html
import io

import pytest
from sqlalchemy import func, select

from crm.audit import AuditLog
from crm.processes.drafts import ProcessDraft
from engine.models import ProcessVersion
from tests.processes.helpers import FILE, KEY, chain, deploy, versions

XXE = """<?xml version="1.0"?>
<!DOCTYPE definitions [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="x">
  <bpmn:process id="discount_approval" isExecutable="true"><bpmn:documentation>&xxe;</bpmn:documentation>
  <bpmn:startEvent id="s"/></bpmn:process></bpmn:definitions>"""

BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="x">
  <bpmn:process id="discount_approval"><bpmn:documentation>&lol3;</bpmn:documentation></bpmn:process>
</bpmn:definitions>"""

HOSTILE = {
    "xxe": (XXE, "DOCTYPE is not allowed"),
    "entity-bomb": (BOMB, "DOCTYPE is not allowed"),
    "over-5-MB": (chain().replace("</bpmn:definitions>", "<!--" + "x" * (5 * 1024 * 1024) + "--></bpmn:definitions>"),
                  "the limit is 5,242,880 bytes"),
    "not-bpmn": ("<html><body><h1>hello</h1></body></html>", "not a BPMN 2.0 or DMN document"),
    "not-xml": ("%PDF-1.4 binary junk", "malformed XML"),
    "script-imports-module": (chain().replace("approved == True", "__import__('os').system('id') == 0"),
                              "script refused: Line 1: "),
    "script-import-statement": (chain().replace(
        "<bpmn:exclusiveGateway", '<bpmn:scriptTask id="evil"><bpmn:script>import os\nos.system("id")'
        "</bpmn:script></bpmn:scriptTask><bpmn:exclusiveGateway", 1), "script refused: imports are not allowed"),
}


@pytest.fixture
def owner(platform, login):
    deploy(platform, chain())
    return login("owner")


def nothing_changed(platform) -> None:
    assert versions(platform) == [(1, chain())]
    with platform.sessions() as session:
        assert session.scalar(select(func.count()).select_from(ProcessVersion)) == 1
        assert session.scalar(select(func.count()).select_from(AuditLog)) == 0
        assert session.scalar(select(func.count()).select_from(ProcessDraft)) == 0


@pytest.mark.parametrize("name", HOSTILE)
def test_upload_form_refuses(owner, platform, name):
    content, message = HOSTILE[name]
    response = owner.post("/processes/library/upload", {"files": (io.BytesIO(content.encode()), FILE)},
                          content_type="multipart/form-data")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Deployment refused" in page and message in html.unescape(page)
    assert "root:" not in page
    nothing_changed(platform)


@pytest.mark.parametrize("name", HOSTILE)
def test_modeler_deploy_refuses(owner, platform, name):
    content, message = HOSTILE[name]
    response = owner.api("POST", f"/processes/{KEY}/deploy", {"files": {FILE: content}, "baseVersion": 1})
    assert response.status_code == 422 and response.json["ok"] is False
    assert any(message in e["message"] for e in response.json["errors"]), response.json
    nothing_changed(platform)


@pytest.mark.parametrize("name", ["xxe", "entity-bomb", "over-5-MB", "not-bpmn", "not-xml"])
def test_unsafe_files_are_not_even_kept_as_drafts(owner, platform, name):
    content, message = HOSTILE[name]
    response = owner.api("POST", f"/processes/{KEY}/draft", {"files": {FILE: content}})
    assert response.status_code == 422
    assert any(message in e["message"] for e in response.json["errors"])
    nothing_changed(platform)


def test_oversized_request_is_refused_as_json(owner, platform):
    huge = "x" * (7 * 1024 * 1024)
    response = owner.api("POST", f"/processes/{KEY}/deploy", {"files": {FILE: huge}})
    assert response.status_code == 413 and "too large" in response.json["errors"][0]["message"]
    nothing_changed(platform)


@pytest.mark.parametrize("body", [{}, {"files": []}, {"files": {FILE: 7}}, {"files": {"../../etc/x.bpmn": chain()}}])
def test_malformed_requests(owner, platform, body):
    response = owner.api("POST", f"/processes/{KEY}/deploy", body)
    assert response.status_code == 422 and response.json["errors"]
    nothing_changed(platform)
