"""Overlapping rules of a UNIQUE decision table are found at deploy (SpiffWorkflow would run it as FIRST)."""

from __future__ import annotations

import pytest
from lxml import etree

from services.processes.rule_overlaps import overlapping_rules

TABLE = """<decisionTable xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="t" hitPolicy="UNIQUE">
  <input id="amount"/><input id="grade"/>
  {rules}
</decisionTable>"""


def _pairs(*rules: tuple[str, str]) -> list[tuple[int, int]]:
    cells = "".join(
        f'<rule id="r{n}"><inputEntry><text>{_escape(a)}</text>'
        f"</inputEntry><inputEntry><text>{_escape(b)}</text></inputEntry></rule>"
        for n, (a, b) in enumerate(rules, start=1))
    return [(first, second) for first, second, _ in overlapping_rules(etree.fromstring(TABLE.format(rules=cells)))]


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@pytest.mark.parametrize("rules", [
    [("< 1000000", '? != "prospect"'), ("< 1000000", '? == "prospect"'), ("1000000 <= ? < 20000000", '"key"'),
     ("1000000 <= ? < 20000000", '? != "key"'), (">= 20000000", "-")],  # the contract approval route
    [("< 10", "-"), (">= 10", "-")],
    [("<= 10", '"key"'), ("<= 10", '"ordinary", "prospect"')],
    [("> 5", "-"), ("< 5", "-"), ("5", "-")],
    [("[1..5]", "-"), ("[1..5]", "-")],  # a form this check cannot read: not reported
])
def test_exclusive_rules_are_accepted(rules):
    assert _pairs(*rules) == []


@pytest.mark.parametrize(("rules", "pairs"), [
    ([('"key"', "-"), ('"key"', "-")], [(1, 2)]),  # the same rule twice
    ([("< 10", '"key"'), ("-", "-")], [(1, 2)]),  # a catch-all row
    ([("<= 10", "-"), (">= 10", "-"), ("> 10", "-")], [(1, 2), (2, 3)]),  # 10 is in both of the first two
    ([("< 10", '"key"'), ("? > 5", '"a", "key"')], [(1, 2)]),
    ([("1000000 <= ? < 20000000", "-"), ("> 19999999", '? != "key"')], [(1, 2)]),
])
def test_rules_that_can_match_the_same_inputs_are_reported(rules, pairs):
    assert _pairs(*rules) == pairs
