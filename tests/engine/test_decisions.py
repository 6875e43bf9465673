"""Decision tables versioned on their own: deployed without a process, evaluated by key, a change is version n+1."""

from __future__ import annotations

from decimal import Decimal

import pytest

from engine import decisions
from engine.errors import DeploymentError

TABLE = """<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="freight_definitions" name="Freight"
             namespace="http://example.com/crm">
  <decision id="freight" name="运费">
    <decisionTable id="freight_table" hitPolicy="{policy}">
      <input id="in_weight" label="重量"><inputExpression id="in_weight_x" typeRef="number"><text>weight</text>
      </inputExpression></input>
      <output id="out_rate" label="每吨运费" name="rate" typeRef="number"/>
      <rule id="r1"><inputEntry id="r1_w"><text>&lt;= 10</text></inputEntry>
        <outputEntry id="r1_r"><text>{small}</text></outputEntry></rule>
      <rule id="r2"><inputEntry id="r2_w"><text>&lt;= 100</text></inputEntry>
        <outputEntry id="r2_r"><text>95.5</text></outputEntry></rule>
    </decisionTable>
  </decision>
</definitions>"""


def _deploy(platform, small: str = "120.25", policy: str = "FIRST") -> list:
    with platform.sessions.begin() as session:
        return [(r.version.process_key, r.version.version, r.created) for r in platform.engine.deploy(
            session, {"freight.dmn": TABLE.format(small=small, policy=policy).encode()}, "owner")]


def _decide(platform, weight) -> decisions.Decision:
    with platform.sessions() as session:
        return decisions.decide(session, "freight", {"weight": weight})


def test_a_table_without_a_process_deploys_and_answers_by_key(platform):
    assert _deploy(platform) == [("freight", 1, True)]
    assert _deploy(platform) == []  # identical content: no new version
    found = _decide(platform, 8)
    assert (found.outputs, found.version, found.name, found.label) == ({"rate": Decimal("120.25")}, 1, "运费",
                                                                       "freight v1")
    assert _decide(platform, 50).outputs == {"rate": Decimal("95.5")}


def test_a_changed_table_is_the_next_version_and_answers_from_then_on(platform):
    _deploy(platform)
    assert _deploy(platform, small="130") == [("freight", 2, True)]
    found = _decide(platform, 8)
    assert (found.outputs, found.version) == ({"rate": Decimal("130")}, 2)


def test_collect_answers_every_match(platform):
    _deploy(platform, policy="COLLECT")
    assert _decide(platform, 8).outputs == {"rate": [Decimal("120.25"), Decimal("95.5")]}


def test_no_matching_rule_and_no_table_are_explained(platform):
    with pytest.raises(decisions.DecisionMissing, match="no decision table freight is deployed"):
        _decide(platform, 8)
    _deploy(platform)
    with pytest.raises(decisions.DecisionError, match="no rule of decision table freight v1 matches weight=500"):
        _decide(platform, 500)


def test_a_text_where_a_number_belongs_is_refused(platform):
    with pytest.raises(DeploymentError, match='rule 1: 每吨运费 is a number, not "cheap"'):
        _deploy(platform, small='"cheap"')
