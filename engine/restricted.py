"""Restricted Python for BPMN scripts, conditions and expressions: compiling and running, nothing else.

RestrictedPython compiles the code: no imports, no names or attributes starting with ``_``, no
``open``/``eval``/``exec``, only safe builtins. This module imports no SpiffWorkflow, so the script
worker processes (:mod:`engine.script_worker`) load it quickly.

:func:`is_bounded` tells which code may run in the caller's process: code without calls, loops,
comprehensions, multiplication, power, formatting or slices does work proportional to its own length
times the size of the task data it reads, and allocates no more — it cannot run away. Everything else
runs in a worker process under CPU and memory limits (:mod:`engine.script_pool`).
"""

from __future__ import annotations

import ast
import datetime
import decimal
import functools
import operator
from types import CodeType
from typing import Any

from RestrictedPython import compile_restricted_eval, compile_restricted_exec
from RestrictedPython.Eval import default_guarded_getitem, default_guarded_getiter
from RestrictedPython.Guards import (
    full_write_guard,
    guarded_iter_unpack_sequence,
    guarded_unpack_sequence,
    safe_builtins,
    safer_getattr,
)

from i18n import _

from .errors import ScriptSecurityError

_EXTRA_BUILTINS = {
    name: __builtins__[name] if isinstance(__builtins__, dict) else getattr(__builtins__, name)
    for name in (
        "min", "max", "sum", "sorted", "any", "all", "enumerate", "zip", "map", "filter",
        "list", "dict", "set", "tuple", "reversed", "format",
    )
}
_BUILTINS = {**safe_builtins, **_EXTRA_BUILTINS}
_BUILTINS.pop("__build_class__", None)

_INPLACE = {
    "+=": operator.iadd, "-=": operator.isub, "*=": operator.imul, "/=": operator.itruediv,
    "//=": operator.ifloordiv, "%=": operator.imod, "**=": operator.ipow,
}

GUARDS: dict[str, Any] = {
    "__builtins__": _BUILTINS,
    "_getattr_": safer_getattr,
    "_getitem_": default_guarded_getitem,
    "_getiter_": default_guarded_getiter,
    "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
    "_unpack_sequence_": guarded_unpack_sequence,
    "_write_": full_write_guard,
    "_inplacevar_": lambda op, x, y: _INPLACE[op](x, y),
}

SCRIPT_HELPERS: dict[str, Any] = {
    "date": datetime.date,
    "datetime": datetime.datetime,
    "timedelta": datetime.timedelta,
    "Decimal": decimal.Decimal,
}
"""Names every script sees besides the task data (also defined in the worker processes)."""


def check_source(source: str, mode: str = "exec") -> None:
    """Raise :class:`ScriptSecurityError` if ``source`` would be refused by the sandbox."""
    compile_source(source, mode)


@functools.lru_cache(maxsize=4096)
def compile_source(source: str, mode: str):
    """The restricted code object of ``source`` (``mode`` ``"eval"`` or ``"exec"``), cached."""
    try:
        tree = ast.parse(source, mode=mode)
    except SyntaxError as exc:
        raise ScriptSecurityError(_("syntax error on line %(line)s: %(problem)s", line=exc.lineno,
                                    problem=exc.msg)) from None
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            raise ScriptSecurityError(_("imports are not allowed (line %(line)s)", line=node.lineno))
    compiler = compile_restricted_eval if mode == "eval" else compile_restricted_exec
    try:
        result = compiler(source)
    except SyntaxError as exc:  # e.g. ``return`` outside a function: parses, does not compile
        raise ScriptSecurityError(_("syntax error on line %(line)s: %(problem)s", line=exc.lineno,
                                    problem=exc.msg)) from None
    if result.errors:
        raise ScriptSecurityError("; ".join(result.errors))
    return result.code


@functools.lru_cache(maxsize=4096)
def prepare(source: str, mode: str) -> tuple[CodeType, bool]:
    """``source`` compiled (or :class:`ScriptSecurityError`) and whether it may run in process (cached)."""
    return compile_source(source, mode), is_bounded(source, mode)


def namespace(context: dict, external_context: dict | None) -> dict:
    """The globals code runs with: helpers, external context, task data, then the guards."""
    return {**SCRIPT_HELPERS, **(external_context or {}), **context, **GUARDS}


def evaluate(expression: str, context: dict, external_context: dict | None = None) -> Any:
    """Evaluate a (stripped) expression over ``context`` in this process."""
    return eval(prepare(expression, "eval")[0], namespace(context, external_context))


def execute(script: str, context: dict, external_context: dict | None = None) -> tuple[dict, list[str]]:
    """Run a script over ``context`` in this process; returns (the task data it leaves, names it deleted).

    ``context`` itself is left alone (values it holds may be changed in place by the script);
    callables, helpers, guards and the external context are not task data.
    """
    names = namespace(context, external_context)
    exec(prepare(script, "exec")[0], names)
    hidden = set(GUARDS) | set(SCRIPT_HELPERS) | set(external_context or {})
    deleted = [key for key in context if key not in names]
    return {key: value for key, value in names.items() if key not in hidden and not callable(value)}, deleted


def apply_outcome(context: dict, values: dict, deleted: list[str]) -> None:
    """Write a script's outcome (see :func:`execute`) into the task data Spiff holds."""
    for key in deleted:
        context.pop(key, None)
    context.update(values)


MAX_BOUNDED_LENGTH = 500
_BOUNDED_NODES = (
    ast.Expression, ast.Module, ast.Expr, ast.Assign, ast.Name, ast.Load, ast.Store, ast.Constant,
    ast.BoolOp, ast.And, ast.Or, ast.Compare, ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.Is,
    ast.IsNot, ast.In, ast.NotIn, ast.UnaryOp, ast.Not, ast.USub, ast.UAdd, ast.IfExp, ast.Attribute,
    ast.Subscript, ast.Tuple, ast.List, ast.BinOp, ast.Add, ast.Sub,
)


@functools.lru_cache(maxsize=4096)
def is_bounded(source: str, mode: str) -> bool:
    """True if ``source`` cannot run away: see the module docstring.

    Allowed: names, short constants, attribute and item reads (no slices), comparisons, ``and/or/not``,
    ``x if c else y``, tuple/list displays, ``+``/``-`` with a number literal on one side, and (scripts)
    plain ``name = expression`` statements of those.
    """
    if len(source) > MAX_BOUNDED_LENGTH:
        return False
    try:
        tree = ast.parse(source, mode=mode)
    except SyntaxError:
        return False
    for node in ast.walk(tree):
        if not isinstance(node, _BOUNDED_NODES):
            return False
        if isinstance(node, ast.Assign) and not all(isinstance(t, ast.Name) for t in node.targets):
            return False
        if isinstance(node, ast.BinOp) and not any(_is_number(side) for side in (node.left, node.right)):
            return False
        if isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes)) and len(node.value) > 200:
            return False
    return True


def _is_number(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) in (int, float)
