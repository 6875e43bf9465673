"""SpiffWorkflow classes with the platform's workarounds for defects seen in 3.2.0.

- Task iteration stops at depth 1000 (``max_depth``), so a loop of ~333 iterations hides its READY task
  and the workflow looks finished: iteration here is unbounded and ``is_completed`` looks at every task.
- Every completed task walks the whole task tree (``update_waiting_tasks``) and every engine step scans
  it for READY tasks, so a loop's cost per iteration grows with its history: here ``workflow.tasks``
  also indexes the unfinished tasks, and both look only at those (flat cost per iteration).
- ``reset_from_task_id`` on a completed workflow leaves ``completed`` set: it is cleared here.
- ``PythonScriptEngine.call_service`` turns any handler exception into ``NameError: script``:
  the platform engine reports the handler's own exception, naming the task.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.util.subworkflow import BpmnSubWorkflow
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState

UNBOUNDED = sys.maxsize

ServiceCaller = Callable[[Any, str, dict], Any]
"""``(spiff_task, operation_name, evaluated_params) -> JSON-serializable result``."""


class TaskTable(dict):
    """``workflow.tasks`` that also keeps the tasks which may still be unfinished.

    Spiff adds and removes tasks only with ``tasks[id] = task`` and ``tasks.pop(id)``. A finished task
    is dropped from the open set when next seen; it becomes unfinished again only through a reset,
    after which :meth:`reopen` must be called (``PlatformWorkflow.reset_from_task_id`` does).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reopen()

    def __setitem__(self, key, task) -> None:
        super().__setitem__(key, task)
        self._open[key] = task

    def __delitem__(self, key) -> None:
        super().__delitem__(key)
        self._open.pop(key, None)

    def pop(self, key, *default):
        self._open.pop(key, None)
        return super().pop(key, *default)

    def reopen(self) -> None:
        """Consider every task again (after a reset moved finished tasks back)."""
        self._open = dict(self)

    def unfinished(self) -> list:
        """Tasks not in a finished state, in creation order; prunes the finished ones."""
        found, finished = [], []
        for key, task in self._open.items():
            if task.state & TaskState.FINISHED_MASK:
                finished.append(key)
            else:
                found.append(task)
        for key in finished:
            del self._open[key]
        return found


class _UnboundedIteration:
    @property
    def tasks(self) -> TaskTable:
        return self._tasks

    @tasks.setter
    def tasks(self, value: dict) -> None:
        self._tasks = value if isinstance(value, TaskTable) else TaskTable(value)

    def get_tasks_iterator(self, first_task=None, **kwargs):
        kwargs.setdefault("max_depth", UNBOUNDED)
        return super().get_tasks_iterator(first_task, **kwargs)

    def get_tasks(self, first_task=None, **kwargs):
        if first_task is None and set(kwargs) <= {"state", "manual"}:
            return _flat_scan(self, kwargs.get("state", TaskState.ANY_MASK), kwargs.get("manual"))
        return super().get_tasks(first_task, **kwargs)

    def update_waiting_tasks(self) -> None:
        """Spiff walks the whole tree (to depth 1000) after every task; only unfinished tasks can wait."""
        for task in [t for t in self.tasks.unfinished() if t.state == TaskState.WAITING]:
            task.task_spec._update(task)

    def is_completed(self) -> bool:
        if not self.completed:
            self.completed = not self.tasks.unfinished()
        return self.completed


def _flat_scan(workflow, state: int, manual: bool | None) -> list:
    """Match tasks by state without walking the tree (no depth limit; unfinished tasks only if asked)."""
    found = []
    workflows = [workflow]
    if isinstance(workflow, BpmnWorkflow):
        workflows += [sp for sp in workflow.subprocesses.values() if not sp.completed]
    for wf in workflows:
        tasks = wf.tasks.values() if state & TaskState.FINISHED_MASK else wf.tasks.unfinished()
        for task in tasks:
            if task.state & state and (manual is None or task.task_spec.manual == manual):
                found.append(task)
    return found


class PlatformSubWorkflow(_UnboundedIteration, BpmnSubWorkflow):
    """A subprocess or call activity of a platform workflow."""


class PlatformWorkflow(_UnboundedIteration, BpmnWorkflow):
    """The workflow class every platform instance runs as."""

    def create_subprocess(self, my_task, spec_name):
        subprocess = PlatformSubWorkflow(
            self.subprocess_specs[spec_name], parent_task_id=my_task.id, top_workflow=self
        )
        self.subprocesses[my_task.id] = subprocess
        return subprocess

    def reset_from_task_id(self, task_id, data=None, remove_subprocess=True):
        descendants = super().reset_from_task_id(task_id, data, remove_subprocess)
        self.completed = False
        self.tasks.reopen()
        for subprocess in self.subprocesses.values():
            subprocess.tasks.reopen()
            subprocess.completed = subprocess.is_completed()
        return descendants


class PlatformScriptEngine(PythonScriptEngine):
    """Script engine whose service calls go to the platform's handler registry."""

    def __init__(self, environment, service_caller: ServiceCaller | None = None):
        super().__init__(environment)
        self.service_caller = service_caller

    def get_error_line_number_and_content(self, script, err):
        """A script that failed in a worker process carries its line (``script_line``), not a traceback."""
        line = getattr(err, "script_line", None)
        if line:
            lines = script.splitlines()
            return line, lines[line - 1] if line <= len(lines) else ""
        return super().get_error_line_number_and_content(script, err)

    def call_service(self, task, operation_name=None, operation_params=None, **kwargs):
        if self.service_caller is None:
            raise WorkflowTaskException(
                f"no service handlers configured for {operation_name!r}", task=task
            )
        params = {name: p["value"] for name, p in (operation_params or {}).items()}
        try:
            return self.service_caller(task, operation_name, params)
        except WorkflowTaskException:
            raise
        except Exception as exc:
            raise WorkflowTaskException(
                f"service {operation_name!r} failed: {exc.__class__.__name__}: {exc}",
                task=task, exception=exc,
            ) from exc
