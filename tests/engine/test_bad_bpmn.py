"""Hostile or broken BPMN is refused at deploy with file/line/element, and the version in force stays."""

import pytest
from sqlalchemy import func, select

from engine.errors import DeploymentError
from engine.models import ProcessVersion
from tests.engine.helpers import bpmn, deploy

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE definitions [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="x">
  <bpmn:process id="approval" isExecutable="true"><bpmn:documentation>&xxe;</bpmn:documentation>
  <bpmn:startEvent id="s"/></bpmn:process></bpmn:definitions>"""

BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="x">
  <bpmn:process id="approval"><bpmn:documentation>&lol4;</bpmn:documentation></bpmn:process></bpmn:definitions>"""

NO_START = b"""<?xml version="1.0"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="x">
  <bpmn:process id="approval" isExecutable="true"><bpmn:endEvent id="end"/></bpmn:process></bpmn:definitions>"""


def _refused(platform, files: dict[str, bytes]) -> list[dict]:
    with platform.sessions() as session, pytest.raises(DeploymentError) as refused:
        platform.engine.deploy(session, files, "owner")
    return refused.value.problems


@pytest.fixture
def deployed(platform):
    deploy(platform, "approval.bpmn")
    yield
    with platform.sessions() as session:  # the version in force is untouched
        versions = session.scalars(select(ProcessVersion)).all()
        assert [(v.process_key, v.version) for v in versions] == [("approval", 1)]
        assert versions[0].source_xml == bpmn("approval.bpmn").decode()


def test_malformed_xml_names_file_and_line(platform, deployed):
    [problem] = _refused(platform, {"approval.bpmn": b"<?xml version='1.0'?>\n<bpmn:definitions>\n<oops"})
    assert problem["file"] == "approval.bpmn" and problem["line"] >= 2
    assert "malformed XML" in problem["message"]


@pytest.mark.parametrize("content", [XXE, BOMB], ids=["xxe", "entity-bomb"])
def test_doctype_attacks_are_refused(platform, deployed, content):
    [problem] = _refused(platform, {"approval.bpmn": content})
    assert "DOCTYPE is not allowed" in problem["message"]
    assert "root:" not in str(problem)


def test_oversized_file(platform, deployed):
    huge = bpmn("approval.bpmn").replace(b"</bpmn:definitions>", b"<!--" + b"x" * (6 * 1024 * 1024) + b"-->"
                                         + b"</bpmn:definitions>")
    [problem] = _refused(platform, {"approval.bpmn": huge})
    assert "limit is 5,242,880 bytes" in problem["message"]


def test_not_bpmn(platform, deployed):
    [problem] = _refused(platform, {"approval.bpmn": b"<html><body>hello</body></html>"})
    assert "not a BPMN 2.0 or DMN document" in problem["message"]


def test_no_start_event(platform, deployed):
    problems = _refused(platform, {"approval.bpmn": NO_START})
    assert problems and all(p["file"] == "approval.bpmn" for p in problems)
    assert any("start" in p["message"].lower() for p in problems), problems


def test_script_importing_os_names_the_element(platform, deployed):
    hostile = bpmn("approval.bpmn").replace(
        b"approved == True", b"__import__('os').system('touch /tmp/pwned') == 0")
    [problem] = _refused(platform, {"approval.bpmn": hostile})
    assert problem["element"] == "f_yes" and problem["line"] > 1
    assert "script refused" in problem["message"]


def test_platform_rules_are_enforced(platform, deployed):
    no_lane = bpmn("approval.bpmn").replace(b"<bpmn:flowNodeRef>review</bpmn:flowNodeRef>", b"")
    unknown_role = bpmn("approval.bpmn").replace(b'name="Customer director"', b'name="Janitor"')
    no_default = bpmn("approval.bpmn").replace(b' default="f_no"', b"")
    assert "not in a lane" in _refused(platform, {"approval.bpmn": no_lane})[0]["message"]
    assert "not a known role" in _refused(platform, {"approval.bpmn": unknown_role})[0]["message"]
    assert "without condition" in _refused(platform, {"approval.bpmn": no_default})[0]["message"]


def test_nothing_was_written_by_refused_deploys(platform, deployed):
    _refused(platform, {"approval.bpmn": b"not xml"})
    with platform.sessions() as session:
        assert session.scalar(select(func.count()).select_from(ProcessVersion)) == 1
