"""JSON shapes of tasks, instances and history rows (the API's stable vocabulary)."""

from __future__ import annotations

import json

from crm import formatting
from engine.models import HumanTask, ProcessInstance
from i18n import zones
from services.processes.key_figures import About
from services.processes.tasks import HistoryRow
from services.processes.worklist import due_state


def _iso(value):
    return zones.utc_iso(value) if value is not None else None


def listed_task_json(row: HumanTask, about: About | None) -> dict:
    """A worklist row: the task with its customer's name and its process's key figure (null when none)."""
    about = about or About()
    figure = {"label": about.label, "unit": about.unit, "value": formatting.plain(about.figure),
              "text": formatting.hours(about.figure) if about.unit == "hours" else formatting.money(about.figure)
              } if about.label else None
    return {**task_json(row), "customer_name": about.customer, "key_figure": figure}


def task_json(row: HumanTask) -> dict:
    return {
        "id": row.id, "instance_id": row.instance_id, "process": row.process_key, "name": row.task_name,
        "title": row.title, "lane": row.lane, "role": row.role, "assignee": row.assignee,
        "status": row.status, "priority": row.priority, "customer_id": row.customer_id,
        "created_at": _iso(row.created_at), "due_at": _iso(row.due_at), "due_state": due_state(row),
        "follow_up_at": _iso(row.follow_up_at),
        "completed_by": row.completed_by, "completed_at": _iso(row.completed_at),
    }


def event_json(event: HistoryRow) -> dict:
    """A history row as :func:`services.processes.tasks.instance_history` reads it."""
    return {
        "at": _iso(event.at), "actor": event.actor, "kind": event.kind, "task": event.task_name,
        "message": event.message,
        "data_before": json.loads(event.data_before) if event.data_before else None,
        "data_after": json.loads(event.data_after) if event.data_after else None,
    }


def instance_json(instance: ProcessInstance) -> dict:
    return {
        "id": instance.id, "process": instance.process_key, "version": instance.version.version,
        "title": instance.title, "status": instance.status, "waiting_on": instance.waiting_on or None,
        "customer_id": instance.customer_id, "started_by": instance.started_by,
        "started_at": _iso(instance.started_at), "updated_at": _iso(instance.updated_at),
        "completed_at": _iso(instance.completed_at), "next_timer_at": _iso(instance.next_timer_at),
        "error": {"task": instance.error_task, "message": instance.error_message}
        if instance.status == "error" else None,
    }
