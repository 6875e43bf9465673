"""Move waiting timers into the past, as if their time had come (instead of sleeping in tests)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update

from engine.models import ProcessInstance, utcnow


def make_timers_due(platform, instance_id: int, event_name: str | None = None) -> None:
    """Every waiting timer of the instance, or only the one with BPMN id ``event_name``, is due now."""
    with platform.sessions.begin() as session:
        found = session.get(ProcessInstance, instance_id)
        workflow = platform.engine.restore(found)
        past = (utcnow() - dt.timedelta(seconds=1)).replace(tzinfo=dt.UTC).isoformat()
        timers = [t for t in workflow.event_manager.tasks.values()
                  if t._get_internal_data("event_value") and event_name in (None, t.task_spec.name)]
        assert timers, f"no waiting timer {event_name or ''} in instance {instance_id}"
        for task in timers:
            task._set_internal_data(event_value=past)
        found.state = platform.engine.serializer.dump_state(workflow)
        session.execute(update(ProcessInstance).where(ProcessInstance.id == instance_id)
                        .values(next_timer_at=utcnow() - dt.timedelta(seconds=1)))
