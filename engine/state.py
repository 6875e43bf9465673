"""What a saved workflow is doing: its current data, next timer, what it waits for."""

from __future__ import annotations

import datetime as dt

from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    CycleTimerEventDefinition,
    DurationTimerEventDefinition,
    TimeDateEventDefinition,
    TimerEventDefinition,
)
from SpiffWorkflow.util.task import TaskState

TIMER_EVENT_TYPES = frozenset(
    cls.__name__ for cls in (TimeDateEventDefinition, DurationTimerEventDefinition, CycleTimerEventDefinition)
)


def current_data(workflow) -> dict:
    """The process data as of the most recently completed task."""
    task = workflow.last_task
    return task.data if task is not None else workflow.data


def next_timer(workflow) -> dt.datetime | None:
    """When the earliest waiting timer of a workflow is due (naive UTC)."""
    due = []
    for event in workflow.waiting_events():
        if event.event_type in TIMER_EVENT_TYPES and isinstance(event.value, str):
            due.append(TimerEventDefinition.get_datetime(event.value).replace(tzinfo=None))
    return min(due) if due else None


def waiting_on(workflow) -> str:
    """"timer", "message" or "" — what a workflow with no ready work waits for."""
    kinds = {e.event_type for e in workflow.waiting_events()}
    return "timer" if kinds & TIMER_EVENT_TYPES else ("message" if kinds else "")


def reached_end_events(workflow) -> list[tuple[str, str]]:
    """``(id, name)`` of every end event the workflow (subprocesses included) has completed, latest last."""
    ended = [task for task in workflow.get_tasks(state=TaskState.COMPLETED)
             if type(task.task_spec).__name__ == "EndEvent" and task.task_spec.bpmn_id]
    ended.sort(key=lambda task: task.last_state_change)
    return [(task.task_spec.bpmn_id, task.task_spec.bpmn_name or task.task_spec.bpmn_id) for task in ended]
