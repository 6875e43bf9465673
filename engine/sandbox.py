"""The script environment SpiffWorkflow runs every script, condition and expression through.

SpiffWorkflow evaluates these with ``eval``/``exec`` and full builtins; here they are compiled with
RestrictedPython (:mod:`engine.restricted`) and run under limits: code that cannot run away (see
:func:`engine.restricted.is_bounded`: ``approved == True``, ``request["id"]``) runs in this process,
everything else in a worker process with a CPU-time and a memory limit (:mod:`engine.script_pool`).
Task data (dates, Decimals, dicts, lists) is read and written as usual.
"""

from __future__ import annotations

from typing import Any

from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment

from . import restricted, script_pool
from .restricted import SCRIPT_HELPERS, check_source
from .script_pool import ScriptLimits

__all__ = ["SandboxedEnvironment", "ScriptLimits", "check_source"]


class SandboxedEnvironment(BasePythonScriptEngineEnvironment):
    """Script environment used for every workflow the platform runs (and for checks at deploy time)."""

    def __init__(self, limits: ScriptLimits | None = None):
        super().__init__(dict(SCRIPT_HELPERS))
        self.limits = limits or ScriptLimits()

    def evaluate(self, expression: str, context: dict, external_context: dict | None = None) -> Any:
        expression = expression.strip()
        code, bounded = restricted.prepare(expression, "eval")
        if bounded:
            return eval(code, restricted.namespace(context, external_context))
        return script_pool.evaluate(expression, context, external_context, self.limits)

    def execute(self, script: str, context: dict, external_context: dict | None = None) -> bool:
        if restricted.prepare(script, "exec")[1]:
            values, deleted = restricted.execute(script, context, external_context)
        else:
            values, deleted = script_pool.execute(script, context, external_context, self.limits)
        restricted.apply_outcome(context, values, deleted)
        return True

    def call_service(self, context, **kwargs):
        raise NotImplementedError("service calls go through the platform script engine")
