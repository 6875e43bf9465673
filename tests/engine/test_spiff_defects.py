"""Each SpiffWorkflow 3.2.0 defect from SPIFFWORKFLOW-NOTES.md: shown on raw Spiff, survived by the platform.

The first test of each pair reproduces the defect with SpiffWorkflow's own classes (so we notice when an
upgrade fixes it); the second fails without the platform's workaround.
"""

import json

import pytest
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.camunda.serializer.config import CAMUNDA_CONFIG
from SpiffWorkflow.spiff.parser import SpiffBpmnParser
from SpiffWorkflow.util.task import TaskState

from engine.admin_actions import completed_tasks, rewind
from engine.serializer import StateSerializer
from engine.workflow import PlatformWorkflow
from tests.engine.helpers import BPMN_DIR, complete, deploy, instance, ready_tasks, start


def _spec(name: str, process: str):
    parser = SpiffBpmnParser()
    parser.add_bpmn_file(str(BPMN_DIR / name))
    return parser.get_spec(process)


def _finish_loop(workflow_class, target: int):
    workflow = workflow_class(_spec("loop.bpmn", "loop"))
    start_task = workflow.get_tasks(state=TaskState.READY)[0]
    start_task.data.update({"counter": 0, "target": target})
    workflow.do_engine_steps()
    return workflow


# 1. reset_from_task_id on a completed workflow leaves it marked completed
def _completed_approval(workflow_class):
    workflow = workflow_class(_spec("approval.bpmn", "approval"))
    workflow.do_engine_steps()
    for data in ({"amount": 1}, {"approved": False}):
        task = workflow.get_tasks(state=TaskState.READY, manual=True)[0]
        task.set_data(**data)
        task.run()
        workflow.do_engine_steps()
    assert workflow.is_completed()
    return workflow


def test_raw_spiff_reset_of_completed_workflow_stays_completed():
    workflow = _completed_approval(BpmnWorkflow)
    review = next(t for t in workflow.get_tasks(state=TaskState.COMPLETED) if t.task_spec.name == "review")
    workflow.reset_from_task_id(review.id)
    assert workflow.is_completed()  # the defect: a READY task exists, yet "completed"
    assert workflow.get_tasks(state=TaskState.READY, manual=True)


def test_platform_rewinds_a_completed_instance(platform, actors):
    deploy(platform, "approval.bpmn")
    instance_id = start(platform, "approval", actors["sales"])
    complete(platform, ready_tasks(platform, instance_id)[0].id, actors["sales"], {"amount": 1})
    complete(platform, ready_tasks(platform, instance_id)[0].id, actors["custdir"], {"approved": False})
    assert instance(platform, instance_id).status == "completed"
    with platform.sessions.begin() as session:
        found = instance(platform, instance_id)
        review = next(t for t in completed_tasks(platform.engine, found) if t.task_spec.name == "review")
        rewind(session, platform.engine, instance_id, str(review.id), actors["admin"], "approved by phone")
    assert instance(platform, instance_id).status == "running"
    [task] = ready_tasks(platform, instance_id)
    assert task.task_name == "review"
    complete(platform, task.id, actors["custdir"], {"approved": True})
    assert instance(platform, instance_id).status == "completed"


# 2. task iteration stops at depth 1000
def test_raw_spiff_loses_the_ready_task_past_depth_1000():
    workflow = _finish_loop(BpmnWorkflow, 600)
    assert workflow.get_tasks(state=TaskState.READY, manual=True) == []
    assert workflow.is_completed()  # the defect: looks finished, the confirm task is invisible


def test_platform_workflow_sees_the_task_after_1000_iterations():
    workflow = _finish_loop(PlatformWorkflow, 1000)
    [task] = workflow.get_tasks(state=TaskState.READY, manual=True)
    assert task.task_spec.name == "confirm" and task.data["counter"] == 1000
    assert not workflow.is_completed()


def test_platform_instance_with_a_long_loop(platform, actors):
    deploy(platform, "loop.bpmn")
    instance_id = start(platform, "loop", actors["sales"], {"counter": 0, "target": 400})
    [task] = ready_tasks(platform, instance_id)
    assert task.task_name == "confirm" and instance(platform, instance_id).status == "running"


# 3. exceptions inside call_service surface as NameError: script
def test_raw_spiff_call_service_error_is_a_name_error():
    from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
    from SpiffWorkflow.bpmn.script_engine.python_environment import TaskDataEnvironment

    class FailingEnvironment(TaskDataEnvironment):
        def call_service(self, context, **kwargs):
            raise ConnectionError("gateway down")

    class FakeTask:
        data: dict = {}

    with pytest.raises(NameError, match="script"):
        PythonScriptEngine(FailingEnvironment()).call_service(FakeTask(), operation_name="x", operation_params={})
    # the platform's version is exercised in test_handlers_and_jobs (error names the handler's exception)


# 4. a plain ServiceTask cannot be serialized with the camunda or default serializer config
def test_raw_camunda_config_cannot_serialize_a_spiff_service_task():
    workflow = BpmnWorkflow(_spec("services.bpmn", "services"))
    with pytest.raises(Exception):  # noqa: B017 - whatever it raises, it must not succeed
        BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(CAMUNDA_CONFIG)).serialize_json(workflow)


def test_platform_state_round_trips_a_workflow_waiting_at_a_service_task():
    serializer = StateSerializer()
    spec = _spec("services.bpmn", "services")
    workflow = PlatformWorkflow(spec)
    workflow.get_tasks(state=TaskState.READY)[0].data.update({"flag_path": "/nonexistent"})
    state = serializer.dump_state(workflow)
    restored = serializer.load_state(state, spec, {})
    assert serializer.dump_state(restored) == state
    assert json.loads(state)["tasks"]


# 5. scripts are evaluated with full builtins
def test_raw_spiff_scripts_can_import_os():
    from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine

    class FakeTask:
        data: dict = {}

    assert PythonScriptEngine().environment.evaluate("__import__('os').getcwd()", {})
