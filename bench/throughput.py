"""Approval process throughput: raw SpiffWorkflow saving every step vs the platform's service layer.

One instance = start, complete "Describe request", complete "Review request" (approved -> end).
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable

import psycopg
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.parser import SpiffBpmnParser
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.util.task import TaskState
from sqlalchemy.engine import make_url

from engine.models import ProcessInstance

from .common import BPMN_DIR, complete, platform_for, start

STEPS = ({"amount": 100, "reason": "bench"}, {"approved": True})
WARMUP = 30
ROUNDS = 3
PER_ROUND = 150


class RawSpiff:
    """SpiffWorkflow 3.2 as documented: serialize_json + deserialize_json after every step."""

    def __init__(self):
        parser = SpiffBpmnParser()
        parser.add_bpmn_file(str(BPMN_DIR / "approval.bpmn"))
        self.spec = parser.get_spec("approval")
        self.serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))

    def save_load(self, workflow: BpmnWorkflow) -> tuple[BpmnWorkflow, str]:
        text = self.serializer.serialize_json(workflow)
        return self.serializer.deserialize_json(text), text

    def first_state(self) -> str:
        """The saved state at the first user task."""
        workflow = BpmnWorkflow(self.spec)
        workflow.do_engine_steps()
        return self.serializer.serialize_json(workflow)

    def run_instance(self) -> None:
        workflow = BpmnWorkflow(self.spec)
        workflow.do_engine_steps()
        workflow, _ = self.save_load(workflow)
        for data in STEPS:
            task = workflow.get_tasks(state=TaskState.READY, manual=True)[0]
            task.set_data(**data)
            task.run()
            workflow.do_engine_steps()
            workflow, _ = self.save_load(workflow)
        assert workflow.is_completed()


class PlatformRun:
    """The platform through ProcessEngine.start/complete, one committed transaction per step."""

    def __init__(self, database_url: str):
        self.platform = platform_for(database_url, "approval.bpmn")

    def first_state(self) -> str:
        instance_id, _ = start(self.platform, "approval", {})
        with self.platform.sessions() as session:
            return session.get(ProcessInstance, instance_id).state

    def run_instance(self) -> None:
        _, ready = start(self.platform, "approval", {})
        for data in STEPS:
            ready = complete(self.platform, ready[0], data)
        assert not ready

    def close(self) -> None:
        self.platform.db.dispose()


class DurableFloor:
    """What PostgreSQL alone costs per instance: three durable transactions (insert; then twice a locked read
    and an update), psycopg with prepared statements, no engine work. The platform cannot beat this."""

    def __init__(self, database_url: str):
        url = make_url(database_url)
        self.conn = psycopg.connect(host=url.host, port=url.port or 5432, user=url.username, password=url.password,
                                    dbname=url.database)
        self.conn.execute("CREATE TABLE IF NOT EXISTS bench_floor (id serial PRIMARY KEY, state text, v int)")
        self.conn.commit()
        self.state = "x" * 3400  # about the platform's saved state at the first user task

    def run_instance(self) -> None:
        with self.conn.transaction():
            row_id = self.conn.execute("INSERT INTO bench_floor (state, v) VALUES (%s, 1) RETURNING id",
                                       (self.state,), prepare=True).fetchone()[0]
        for _ in STEPS:
            with self.conn.transaction():
                self.conn.execute("SELECT state FROM bench_floor WHERE id = %s FOR UPDATE", (row_id,),
                                  prepare=True).fetchone()
                self.conn.execute("UPDATE bench_floor SET state = %s, v = v + 1 WHERE id = %s",
                                  (self.state, row_id), prepare=True)

    def close(self) -> None:
        self.conn.close()


def measure(run_instance: Callable[[], None]) -> dict:
    """Instances per second: median of ``ROUNDS`` rounds of ``PER_ROUND`` complete instances after a warm-up.

    Also this process's CPU time per instance (the database server's is not in it).
    """
    for _ in range(WARMUP):
        run_instance()
    rates, cpu = [], []
    for _ in range(ROUNDS):
        began, began_cpu = time.perf_counter(), time.process_time()
        for _ in range(PER_ROUND):
            run_instance()
        rates.append(PER_ROUND / (time.perf_counter() - began))
        cpu.append((time.process_time() - began_cpu) / PER_ROUND)
    return {"instances_per_s": round(statistics.median(rates), 1), "rounds": [round(r, 1) for r in rates],
            "instances": ROUNDS * PER_ROUND, "ms_per_instance": round(1000 / statistics.median(rates), 2),
            "python_cpu_ms_per_instance": round(statistics.median(cpu) * 1000, 2)}


def state_sizes(raw: RawSpiff, platform_state: str) -> dict:
    """Bytes saved per instance at the first user task; the raw blob's spec share is shown separately."""
    raw_text = raw.first_state()
    raw_dict = json.loads(raw_text)
    spec_bytes = len(json.dumps(raw_dict.get("spec")).encode()) + len(
        json.dumps(raw_dict.get("subprocess_specs")).encode())
    return {
        "raw_spiff_bytes": len(raw_text.encode()),
        "raw_spiff_spec_bytes": spec_bytes,
        "platform_state_bytes": len(platform_state.encode()),
    }
