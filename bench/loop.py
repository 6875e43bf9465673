"""A 1,000-iteration script loop: cost per iteration early vs late, raw Spiff vs PlatformWorkflow.

The "step" script task runs once per iteration; ``did_complete_task`` stamps it with the process CPU time,
and the cost of an iteration at N is the median gap between consecutive "step" stamps over the 50
iterations ending at N (CPU time and the median keep a busy machine's preemptions out of it).
PlatformWorkflow runs once to warm up, then ``RUNS`` times; each point is the lowest of those runs (load
only ever adds time).
"""

from __future__ import annotations

import itertools
import statistics
import time

from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.parser import SpiffBpmnParser
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select

from engine.models import HumanTask, ProcessInstance
from engine.sandbox import SandboxedEnvironment
from engine.serializer import StateSerializer
from engine.workflow import PlatformScriptEngine, PlatformWorkflow

from .common import BPMN_DIR, platform_for, start

TARGET = 1000
WINDOW = 50
POINTS = (100, 500, 1000)
RUNS = 3


def _spec():
    parser = SpiffBpmnParser()
    parser.add_bpmn_file(str(BPMN_DIR / "loop.bpmn"))
    return parser.get_spec("loop")


def _per_iteration_ms(stamps: list[float], around: int) -> float | None:
    """Median ms between "step" completions over the ``WINDOW`` iterations ending at ``around`` (if reached)."""
    end = min(around, len(stamps))
    if end < around - WINDOW // 2 or end < WINDOW:
        return None
    window = stamps[end - WINDOW:end]
    return round(statistics.median(b - a for a, b in itertools.pairwise(window)) * 1000, 3)


def run_loop(workflow, dump) -> dict:
    """Run ``workflow`` (loop.bpmn, counter 0 -> TARGET) and describe how it went."""
    stamps: list[float] = []

    def did_complete(task):
        if task.task_spec.name == "step":
            stamps.append(time.process_time())

    workflow.get_tasks(state=TaskState.READY)[0].data.update(counter=0, target=TARGET)
    began = time.perf_counter()
    workflow.do_engine_steps(did_complete_task=did_complete)
    seconds = time.perf_counter() - began
    ready = workflow.get_tasks(state=TaskState.READY, manual=True)
    return {
        "iterations_run": len(stamps),
        "per_iteration_ms": {str(n): _per_iteration_ms(stamps, n) for n in POINTS},
        "last_window_ms": _per_iteration_ms(stamps, len(stamps)),
        "growth_last_vs_100": _ratio(_per_iteration_ms(stamps, len(stamps)), _per_iteration_ms(stamps, 100)),
        "total_s": round(seconds, 3),
        "user_task_visible": any(t.task_spec.name == "confirm" for t in ready),
        "reports_completed": workflow.is_completed(),
        "state_bytes": len(dump(workflow).encode()),
        "tasks_in_tree": len(workflow.tasks),
    }


def raw_spiff() -> dict:
    """SpiffWorkflow's own BpmnWorkflow; state size via serialize_json (spec embedded)."""
    serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))
    return run_loop(BpmnWorkflow(_spec()), serializer.serialize_json)


def platform_workflow() -> dict:
    """The platform's PlatformWorkflow with its sandboxed script engine; state via the spec-free serializer."""
    runs = []
    for _ in range(RUNS + 1):
        workflow = PlatformWorkflow(_spec())
        workflow.script_engine = PlatformScriptEngine(SandboxedEnvironment())
        runs.append(run_loop(workflow, StateSerializer().dump_state))
    runs = runs[1:]
    result = runs[-1]
    for key in ("per_iteration_ms",):
        result[key] = {n: _lowest([r[key][n] for r in runs]) for n in result[key]}
    result["last_window_ms"] = _lowest([r["last_window_ms"] for r in runs])
    result["growth_last_vs_100"] = _ratio(result["last_window_ms"], result["per_iteration_ms"]["100"])
    result["total_s"] = _lowest([r["total_s"] for r in runs])
    result["runs"] = RUNS
    return result


def platform_service(database_url: str) -> dict:
    """The whole platform: ProcessEngine.start runs the loop and saves; is the user task in the worklist?"""
    platform = platform_for(database_url, "loop.bpmn")
    began = time.perf_counter()
    instance_id, ready = start(platform, "loop", {"counter": 0, "target": TARGET})
    seconds = time.perf_counter() - began
    with platform.sessions() as session:
        instance = session.get(ProcessInstance, instance_id)
        names = list(session.scalars(select(HumanTask.task_name).where(HumanTask.id.in_(ready))))
        result = {"total_s": round(seconds, 3), "status": instance.status, "state_bytes": len(instance.state.encode()),
                  "user_task_visible": names == ["confirm"]}
    platform.db.dispose()
    return result


def _lowest(values: list) -> float | None:
    present = [v for v in values if v is not None]
    return min(present) if present else None


def _ratio(late: float | None, early: float | None) -> float | None:
    return round(late / early, 2) if late and early else None
