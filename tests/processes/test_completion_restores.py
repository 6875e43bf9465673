"""A form completion rebuilds the instance's workflow from its saved state once (issue 18): the form's checks read
the task's data from the workflow the step then runs on, instead of each restoring their own."""

from __future__ import annotations

from services.processes.tasks import complete_task
from tests.engine.helpers import deploy, ready_tasks, start


def test_a_form_completion_restores_the_workflow_once(platform, actors, monkeypatch):
    deploy(platform, "approval.bpmn")
    instance_id = start(platform, "approval", actors["sales"])
    task_id = ready_tasks(platform, instance_id)[0].id
    loads = []
    load_state = platform.engine.serializer.load_state

    def counted(*args, **kwargs):
        loads.append(args)
        return load_state(*args, **kwargs)

    monkeypatch.setattr(platform.engine.serializer, "load_state", counted)
    with platform.sessions() as session:
        complete_task(session, platform.engine, platform.forms, task_id, {"amount": "250.10", "reason": "x"},
                      actors["sales"])
        session.commit()
    assert len(loads) == 1
    assert [row.task_name for row in ready_tasks(platform, instance_id)] == ["review"]
