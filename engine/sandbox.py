"""A restricted Python environment for BPMN scripts, conditions and expressions.

SpiffWorkflow evaluates these with ``eval``/``exec`` and full builtins; here they are compiled with
RestrictedPython: no imports, no names or attributes starting with ``_``, no ``open``/``eval``/``exec``,
and only safe builtins. Task data (dates, Decimals, dicts, lists) is read and written as usual.
"""

from __future__ import annotations

import ast
import datetime
import decimal
import functools
import operator
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
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment

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


def check_source(source: str, mode: str = "exec") -> None:
    """Raise :class:`ScriptSecurityError` if ``source`` would be refused by the sandbox."""
    _compile(source, mode)


@functools.lru_cache(maxsize=4096)
def _compile(source: str, mode: str):
    try:
        tree = ast.parse(source, mode=mode)
    except SyntaxError as exc:
        raise ScriptSecurityError(f"syntax error on line {exc.lineno}: {exc.msg}") from None
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            raise ScriptSecurityError(f"imports are not allowed (line {node.lineno})")
    compiler = compile_restricted_eval if mode == "eval" else compile_restricted_exec
    try:
        result = compiler(source)
    except SyntaxError as exc:  # e.g. ``return`` outside a function: parses, does not compile
        raise ScriptSecurityError(f"syntax error on line {exc.lineno}: {exc.msg}") from None
    if result.errors:
        raise ScriptSecurityError("; ".join(result.errors))
    return result.code


class SandboxedEnvironment(BasePythonScriptEngineEnvironment):
    """Script environment used for every workflow the platform runs."""

    def __init__(self, helpers: dict[str, Any] | None = None):
        super().__init__({**SCRIPT_HELPERS, **(helpers or {})})

    def _namespace(self, context: dict, external_context: dict | None) -> dict:
        return {**self.globals, **(external_context or {}), **context, **GUARDS}

    def evaluate(self, expression: str, context: dict, external_context: dict | None = None) -> Any:
        return eval(_compile(expression.strip(), "eval"), self._namespace(context, external_context))

    def execute(self, script: str, context: dict, external_context: dict | None = None) -> bool:
        namespace = self._namespace(context, external_context)
        exec(_compile(script, "exec"), namespace)
        hidden = set(GUARDS) | set(self.globals) | set(external_context or {})
        for key in list(context):
            if key not in namespace:
                del context[key]
        for key, value in namespace.items():
            if key not in hidden and not callable(value):
                context[key] = value
        return True

    def call_service(self, context, **kwargs):
        raise NotImplementedError("service calls go through the platform script engine")
