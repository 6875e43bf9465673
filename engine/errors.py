"""Exceptions the engine raises to its callers; each carries a message fit for a user."""

from __future__ import annotations


class EngineError(Exception):
    """Base class of every error the engine reports."""


class DeploymentError(EngineError):
    """A process file was refused; ``problems`` lists (file, line, element, message)."""

    def __init__(self, problems: list[dict]):
        self.problems = problems
        super().__init__("; ".join(_describe(p) for p in problems))


def _describe(problem: dict) -> str:
    where = problem.get("file") or ""
    if problem.get("line"):
        where += f":{problem['line']}"
    if problem.get("element"):
        where += f" [{problem['element']}]"
    return f"{where}: {problem['message']}" if where else problem["message"]


class NotFound(EngineError):
    """No such process, instance or task."""


class Forbidden(EngineError):
    """The acting user may not do this (e.g. lacks the lane's role)."""


class Conflict(EngineError):
    """The state changed underneath the caller (stale task, lost race, locked instance)."""


class InvalidState(EngineError):
    """The action does not fit the instance's or task's current state."""


class TaskDataInvalid(EngineError):
    """Submitted task data failed validation; ``errors`` maps field ids to messages."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("invalid task data: " + ", ".join(sorted(errors)))


class ScriptSecurityError(EngineError):
    """A script or expression tried something the sandbox forbids."""


class ScriptLimitExceeded(EngineError):
    """A script or expression was stopped: it exceeded the CPU-time or memory limit (the message says which)."""
