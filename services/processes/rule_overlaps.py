"""Rules of a decision table that can match the same inputs: an error under hit policy UNIQUE.

SpiffWorkflow evaluates a UNIQUE table as FIRST (the first matching rule wins), so two overlapping rules would
silently hide the second one. This finds the pairs it can prove overlap: every cell is ``-`` (any value), a
literal (``"key"``, ``10``), a list of literals (``"a", "b"``), or comparisons with ``?`` or a missing left side
(``< 1000000``, ``? != "key"``, ``1000000 <= ? < 20000000``). A cell written otherwise (a function call, ``or``)
cannot be reasoned about, so a pair with such a cell is not reported.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Iterator
from itertools import combinations
from typing import Any

from lxml import etree

Constraint = tuple[str, Any]
"""An operator (``==``, ``!=``, ``<``, ``<=``, ``>``, ``>=``) and the literal the input is compared with."""
Condition = list[list[Constraint]] | None
"""Alternatives, each a conjunction of constraints; ``[[]]`` is any value; None: not understood."""

_OPERATORS = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}
_MIRRORED = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
_TESTS = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt,
          ">=": operator.ge}
_INPUT = "_input_"


def overlapping_rules(table: etree._Element) -> Iterator[tuple[int, int, etree._Element]]:
    """(first, second, second rule's element) for each pair of rules (numbered from 1) that can both match."""
    rules = table.findall("{*}rule")
    conditions = [[condition((entry.findtext("{*}text") or "").strip()) for entry in rule.findall("{*}inputEntry")]
                  for rule in rules]
    for (i, first), (j, second) in combinations(enumerate(conditions), 2):
        if len(first) != len(second) or any(c is None for c in (*first, *second)):
            continue
        if all(_overlap(a, b) for a, b in zip(first, second, strict=True)):
            yield i + 1, j + 1, rules[j]


def condition(text: str) -> Condition:
    """What a cell accepts, or None when it cannot be read here."""
    if text in ("", "-"):
        return [[]]
    source = text.replace("?", _INPUT)
    for candidate in (source, f"{_INPUT} {source}"):
        try:
            tree = ast.parse(candidate, mode="eval").body
        except SyntaxError:
            continue
        return _read(tree)
    return None


def _read(node: ast.expr) -> Condition:
    if isinstance(node, ast.Tuple):
        values = [_literal(element) for element in node.elts]
        return None if _UNREAD in values else [[("==", value)] for value in values]
    literal = _literal(node)
    if literal is not _UNREAD:
        return [[("==", literal)]]
    if isinstance(node, ast.Compare):
        return _comparison(node)
    return None


def _comparison(node: ast.Compare) -> Condition:
    """``? op literal``, ``literal op ?`` and chains such as ``1 <= ? < 10``: one conjunction."""
    terms = [node.left, *node.comparators]
    constraints: list[Constraint] = []
    for left, op, right in zip(terms, node.ops, terms[1:], strict=False):
        symbol = _OPERATORS.get(type(op))
        if symbol is None:
            return None
        if _is_input(left) and (value := _literal(right)) is not _UNREAD:
            constraints.append((symbol, value))
        elif _is_input(right) and (value := _literal(left)) is not _UNREAD:
            constraints.append((_MIRRORED[symbol], value))
        else:
            return None
    return [constraints]


def _overlap(first: list[list[Constraint]], second: list[list[Constraint]]) -> bool:
    return any(_satisfiable(a + b) for a in first for b in second)


def _satisfiable(constraints: list[Constraint]) -> bool:
    """Whether one value meets every constraint (values of other types never compare equal)."""
    equal = {repr(value): value for op, value in constraints if op == "=="}
    if len(equal) > 1:
        return False
    if equal:
        candidate = next(iter(equal.values()))
        return all(_holds(candidate, op, value) for op, value in constraints)
    bounds = [(op, value) for op, value in constraints if op in ("<", "<=", ">", ">=")]
    if not bounds:
        return True  # only "not equal to" some values: any other value meets them
    try:
        low = max(((value, op == ">=") for op, value in bounds if op in (">", ">=")), default=None,
                  key=lambda b: (b[0], not b[1]))  # the tightest: largest, exclusive before inclusive
        high = min(((value, op == "<=") for op, value in bounds if op in ("<", "<=")), default=None,
                   key=lambda b: (b[0], b[1]))
        if low is None or high is None or low[0] < high[0]:
            return True  # an open range holds infinitely many numbers, whatever "not equal" excludes
        if low[0] == high[0] and low[1] and high[1]:
            return all(_holds(low[0], op, value) for op, value in constraints)
    except TypeError:  # bounds of different types (a number and a text): no value meets both
        return False
    return False


def _holds(candidate: Any, op: str, value: Any) -> bool:
    if type(candidate) is not type(value) and not all(_is_number(v) for v in (candidate, value)):
        return op == "!="
    return _TESTS[op](candidate, value)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_input(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id == _INPUT


_UNREAD = object()


def _literal(node: ast.expr) -> Any:
    try:
        return ast.literal_eval(node)
    except (ValueError, SyntaxError, TypeError):
        return _UNREAD
