"""What the script limits cost: the approval process without and with a script task, and one evaluation.

``approval.bpmn`` has no script; its one condition (``approved == True``) cannot run away and is
evaluated in process. ``approval_script.bpmn`` adds a script task (``score = sum([amount, 1]) if
approved else 0``): a call, so it runs in a limited worker process (one round trip per instance).
"""

from __future__ import annotations

import statistics
import time
from decimal import Decimal

from engine.sandbox import SandboxedEnvironment

from . import throughput
from .common import complete, platform_for, start

EVALUATIONS = 500


def process_rates(database_url: str) -> dict:
    """Complete instances per second of both diagrams on one database (see :func:`throughput.measure`)."""
    platform = platform_for(database_url, "approval.bpmn", "approval_script.bpmn")

    def run(key: str):
        def instance() -> None:
            _, ready = start(platform, key, {})
            for data in throughput.STEPS:
                ready = complete(platform, ready[0], data)
            assert not ready

        return instance

    figures = {"without_script": throughput.measure(run("approval")),
               "with_script": throughput.measure(run("approval_script"))}
    platform.db.dispose()
    figures["script_ms_per_instance"] = round(
        figures["with_script"]["ms_per_instance"] - figures["without_script"]["ms_per_instance"], 2)
    return figures


def evaluation_costs() -> dict:
    """Median microseconds of one evaluation: in process (bounded code) and in a worker (anything else)."""
    environment = SandboxedEnvironment()
    data = {"approved": True, "amount": Decimal("100"), "lines": [{"qty": 2, "price": Decimal("9.99")}] * 5}
    cases = {
        "condition_in_process": lambda: environment.evaluate("approved == True", data),
        "expression_in_worker": lambda: environment.evaluate("len(lines) > 0", data),
        "script_in_worker": lambda: environment.execute("total = sum([l['qty'] * l['price'] for l in lines])",
                                                        dict(data)),
    }
    costs = {}
    for name, case in cases.items():
        case()  # the first worker evaluation starts the worker process
        samples = []
        for _ in range(EVALUATIONS):
            began = time.perf_counter()
            case()
            samples.append(time.perf_counter() - began)
        costs[name] = round(statistics.median(samples) * 1e6, 1)
    return costs
