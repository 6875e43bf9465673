"""Scripts, conditions and expressions run under a CPU-time and a memory limit (issue 11 item 7).

A runaway script fails its step with a message naming the element and the limit, the instance goes to
``error`` and the existing repair (edit data, retry) brings it back; a runaway timer expression is
reported at deploy and by the modeler's validation; other users' pages answer meanwhile.
"""

from __future__ import annotations

import itertools
import threading
from html import escape

import pytest

from engine import admin_actions, script_pool
from engine.errors import DeploymentError
from engine.sandbox import ScriptLimits
from tests.engine.helpers import complete, data, instance, ready_tasks, start

LIMITS = ScriptLimits(cpu_seconds=1.0, memory_mb=256)

RUNAWAYS = {
    "python_loop": ("while spin:\n    pass", "time limit of 1 s"),
    "huge_string": ("blob = 'a' * size\nsize = len(blob)", "memory limit of 256 MB"),
    "c_loop": ("total = sum(range(size))", "time limit of 1 s"),
}
RUNAWAY_DATA = {"spin": True, "size": 10**9}
RUNAWAY_DATA_C_LOOP = {"spin": True, "size": 10**12}


def diagram(script: str, *, background: bool = False, timer: str | None = None) -> bytes:
    """describe (user task) → [background service] → [timer] → compute (script) → check (user task)."""
    nodes = ["start", "describe", "compute", "check", "end"]
    chain = ["start", "describe"]
    extra = ""
    if background:
        nodes.append("later")
        chain.append("later")
        extra += ('<bpmn:serviceTask id="later" name="Later"><bpmn:extensionElements>'
                  '<spiffworkflow:serviceTaskOperator id="test.background_echo" resultVariable="echoed">'
                  '<spiffworkflow:parameters><spiffworkflow:parameter id="x" type="str" value="1"/>'
                  '</spiffworkflow:parameters></spiffworkflow:serviceTaskOperator></bpmn:extensionElements>'
                  '</bpmn:serviceTask>')
    if timer is not None:
        nodes.append("wait")
        chain.append("wait")
        extra += (f'<bpmn:intermediateCatchEvent id="wait" name="Wait"><bpmn:timerEventDefinition>'
                  f'<bpmn:timeDuration>{escape(timer)}</bpmn:timeDuration></bpmn:timerEventDefinition>'
                  '</bpmn:intermediateCatchEvent>')
    chain += ["compute", "check", "end"]
    flows = "".join(f'<bpmn:sequenceFlow id="f{i}" sourceRef="{a}" targetRef="{b}"/>'
                    for i, (a, b) in enumerate(itertools.pairwise(chain)))
    form = ('<bpmn:extensionElements><camunda:formData><camunda:formField id="note" label="Note" type="string"/>'
            '</camunda:formData></bpmn:extensionElements>')
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core"
  id="defs" targetNamespace="http://example.com/crm">
  <bpmn:process id="limits" name="Script limits" isExecutable="true">
    <bpmn:laneSet id="ls"><bpmn:lane id="l1" name="Salesperson">
      {"".join(f"<bpmn:flowNodeRef>{n}</bpmn:flowNodeRef>" for n in nodes)}
    </bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="start"/>
    <bpmn:userTask id="describe" name="Describe">{form}</bpmn:userTask>
    {extra}
    <bpmn:scriptTask id="compute" name="Compute"><bpmn:script>{escape(script)}</bpmn:script></bpmn:scriptTask>
    <bpmn:userTask id="check" name="Check">{form}</bpmn:userTask>
    <bpmn:endEvent id="end"/>
    {flows}
  </bpmn:process>
</bpmn:definitions>""".encode()


@pytest.fixture
def limited(platform):
    """The engine's limits lowered to 1 s CPU (tests wait for every runaway)."""
    platform.engine.environment.limits = LIMITS
    return platform


def deploy(platform, xml: bytes) -> None:
    with platform.sessions.begin() as session:
        platform.engine.deploy(session, {"limits.bpmn": xml}, "owner")


def task_named(platform, instance_id: int, name: str):
    [row] = [t for t in ready_tasks(platform, instance_id) if t.task_name == name]
    return row


@pytest.mark.parametrize("kind", sorted(RUNAWAYS))
def test_a_runaway_script_fails_its_step_clearly_and_retry_works_after_repair(limited, actors, kind):
    script, limit_text = RUNAWAYS[kind]
    deploy(limited, diagram(script))
    start_data = RUNAWAY_DATA_C_LOOP if kind == "c_loop" else RUNAWAY_DATA
    instance_id = start(limited, "limits", actors["sales"], start_data)
    complete(limited, task_named(limited, instance_id, "describe").id, actors["sales"], {"note": "go"})

    failed = instance(limited, instance_id)
    assert failed.status == "error" and failed.error_task == "compute"
    assert failed.error_message.startswith("Script 'Compute' (compute): stopped:")
    assert limit_text in failed.error_message

    with limited.sessions.begin() as session:  # the existing repair: fix the data, retry
        admin_actions.edit_data(session, limited.engine, instance_id, {"spin": False, "size": 3},
                                actors["admin"], "runaway input")
        admin_actions.retry(session, limited.engine, instance_id, actors["admin"], "fixed")
    assert instance(limited, instance_id).status == "running"
    assert task_named(limited, instance_id, "check")
    assert data(limited, instance_id)["size"] == 3


def test_a_runaway_script_in_a_job_is_stopped_in_the_worker(platform, actors, settle_jobs):
    """After a background service the script runs in a job (rq worker processes on the servers backend)."""
    deploy(platform, diagram("while spin:\n    pass", background=True))
    instance_id = start(platform, "limits", actors["sales"], {"spin": True})
    complete(platform, task_named(platform, instance_id, "describe").id, actors["sales"], {"note": "go"})
    settle_jobs()

    failed = instance(platform, instance_id)
    assert failed.status == "error" and failed.error_task == "compute"
    assert "stopped: it ran longer than the time limit" in failed.error_message


@pytest.mark.parametrize("expression", ["sum(range(10**12))", "'P' * 10**9", "[1] * 10**9"])
def test_a_runaway_timer_expression_is_reported_at_deploy_and_by_the_modeler(platform, login, expression):
    xml = diagram("done = True", timer=expression)
    with platform.sessions() as session, pytest.raises(DeploymentError) as refused:
        platform.engine.deploy(session, {"limits.bpmn": xml}, "owner")
    [problem] = refused.value.problems
    assert problem["element"] == "wait"
    assert problem["message"].startswith("timer expression stopped: it ")
    assert "limit of" in problem["message"]

    report = login("owner").api("POST", "/processes/limits/validate", {"files": {"limits.bpmn": xml.decode()}}).json
    assert not report["ok"]
    assert [(e["element"], e["message"]) for e in report["errors"]] == [("wait", problem["message"])]


def test_other_users_pages_answer_while_a_runaway_script_is_stopped(platform, login, actors, monkeypatch):
    """The runaway's request holds its transaction until the limit; another user's worklist does not wait."""
    platform.engine.environment.limits = ScriptLimits(cpu_seconds=5.0, memory_mb=256)
    deploy(platform, diagram("while spin:\n    pass"))
    instance_id = start(platform, "limits", actors["sales"], {"spin": True})
    task_id = task_named(platform, instance_id, "describe").id
    runner, colleague = login("sales"), login("sales2")
    evaluating = threading.Event()
    ask = script_pool._Worker.ask

    def noting_ask(worker, request, deadline):
        evaluating.set()
        return ask(worker, request, deadline)

    monkeypatch.setattr(script_pool._Worker, "ask", noting_ask)
    answers = {}
    runaway = threading.Thread(target=lambda: answers.setdefault(
        "runaway", runner.api("POST", f"/api/tasks/{task_id}/complete", {"note": "go"})))
    runaway.start()
    assert evaluating.wait(30)
    page = colleague.get("/worklist/")
    still_running = runaway.is_alive()
    runaway.join(60)

    assert page.status_code == 200
    assert still_running, "the worklist waited for the runaway script"
    assert answers["runaway"].status_code == 200
    assert answers["runaway"].json["status"] == "error"
    assert "time limit of 5 s" in instance(platform, instance_id).error_message
