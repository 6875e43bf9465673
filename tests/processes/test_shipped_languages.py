"""The shipped diagrams speak Chinese (their own labels, the demo's site language) and carry an English
translation of every label a person sees (issue 14 item 3)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from crm.accounts.users import ROLES
from engine.parser import lane_role
from services.processes.translations import read_catalog

BPMN_DIR = Path(__file__).resolve().parents[2] / "bpmn"
FILES = sorted(p.name for p in BPMN_DIR.iterdir() if p.suffix in (".bpmn", ".dmn"))
BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
CAMUNDA = "http://camunda.org/schema/1.0/bpmn"
NAMED = re.compile(r"^(process|participant|lane|.*Task|task|subProcess|callActivity|.*Event|.*Gateway|sequenceFlow)$")
DMN_LABELS = {"decision": "name", "input": "label", "output": "label"}
"""What a DMN element shows (an output's ``name`` is the variable it sets, not a label)."""
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def labels(root: etree._Element):
    """``(catalog key, own text)`` of every label of a shipped file a person may see."""
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        kind, element_id = etree.QName(element).localname, element.get("id")
        if etree.QName(element).namespace == BPMN:
            own = "name" if NAMED.match(kind) else None
        else:
            own = DMN_LABELS.get(kind)
        if own and element.get(own):
            yield element_id, element.get(own)
        for text_kind in ("documentation", "description"):
            text = next((c.text for c in element if isinstance(c.tag, str)
                         and etree.QName(c).localname == text_kind and (c.text or "").strip()), None)
            if text:
                yield f"{element_id}/{text_kind}", text
        properties = element.findall(f"{{{BPMN}}}extensionElements/{{{CAMUNDA}}}properties/{{{CAMUNDA}}}property")
        rules = [p.get("value") for p in properties if p.get("name") == "rule"]
        for n, rule in enumerate(rules, start=1):
            yield f"{element_id}/rule/{n}", rule.split("|")[1]
        for field in element.iter(f"{{{CAMUNDA}}}formField") if kind in ("userTask", "startEvent") else ():
            key = f"{element_id}/{field.get('id')}"
            yield key, field.get("label")
            for prop in field.iterfind(f"{{{CAMUNDA}}}properties/{{{CAMUNDA}}}property"):
                if prop.get("id") == "help":
                    yield f"{key}/help", prop.get("value")
            for value in field.iterfind(f"{{{CAMUNDA}}}value"):
                yield f"{key}/option/{value.get('id')}", value.get("name")


@pytest.mark.parametrize("filename", FILES)
def test_every_label_is_chinese_with_an_english_translation(filename):
    root = etree.parse(str(BPMN_DIR / filename)).getroot()
    catalog = read_catalog([root])
    found = list(labels(root))
    assert len(found) > 5
    not_chinese = [(key, text) for key, text in found if not CHINESE.search(text or "")]
    untranslated = [key for key, _ in found if not catalog.get(key, {}).get("en")]
    chinese_in_english = [key for key, _ in found if CHINESE.search(catalog.get(key, {}).get("en", ""))]
    assert not not_chinese, f"own labels not in Chinese: {not_chinese}"
    assert not untranslated, f"labels without an English translation (i18n:en...): {untranslated}"
    assert not chinese_in_english, f"English translations in Chinese: {chinese_in_english}"


@pytest.mark.parametrize("filename", [f for f in FILES if f.endswith(".bpmn")])
def test_every_lane_names_a_known_role(filename):
    root = etree.parse(str(BPMN_DIR / filename)).getroot()
    for lane in root.iter(f"{{{BPMN}}}lane"):
        assert CHINESE.search(lane.get("name")) and lane_role(lane) in ROLES, lane.get("id")
        assert any(p.get("name") == "role" for p in lane.iter(f"{{{CAMUNDA}}}property")), lane.get("id")
