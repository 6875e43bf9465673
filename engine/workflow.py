"""SpiffWorkflow classes with the platform's workarounds for defects seen in 3.2.0.

- Task iteration stops at depth 1000 (``max_depth``), so a loop of ~333 iterations hides its READY task
  and the workflow looks finished: iteration here is unbounded and ``is_completed`` looks at every task.
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


class _UnboundedIteration:
    def get_tasks_iterator(self, first_task=None, **kwargs):
        kwargs.setdefault("max_depth", UNBOUNDED)
        return super().get_tasks_iterator(first_task, **kwargs)

    def get_tasks(self, first_task=None, **kwargs):
        if first_task is None and set(kwargs) <= {"state", "manual"}:
            return _flat_scan(self, kwargs.get("state", TaskState.ANY_MASK), kwargs.get("manual"))
        return super().get_tasks(first_task, **kwargs)

    def is_completed(self) -> bool:
        if not self.completed:
            self.completed = not any(
                t.state & TaskState.NOT_FINISHED_MASK for t in self.tasks.values()
            )
        return self.completed


def _flat_scan(workflow, state: int, manual: bool | None) -> list:
    """Match tasks by state without walking the tree (linear, no depth limit)."""
    found = []
    workflows = [workflow]
    if isinstance(workflow, BpmnWorkflow):
        workflows += [sp for sp in workflow.subprocesses.values() if not sp.completed]
    for wf in workflows:
        for task in wf.tasks.values():
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
        for subprocess in self.subprocesses.values():
            subprocess.completed = subprocess.is_completed()
        return descendants


class PlatformScriptEngine(PythonScriptEngine):
    """Script engine whose service calls go to the platform's handler registry."""

    def __init__(self, environment, service_caller: ServiceCaller | None = None):
        super().__init__(environment)
        self.service_caller = service_caller

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
