"""Who used the cores during a load run: the web tier, the load generator, and everything else on the machine.

The web tier (gunicorn's master and workers) and Locust run on the same cores as PostgreSQL, Redis, the rq
worker and the scheduler, so the latencies alone cannot say whose work the machine did. CPU seconds per
request can: other work delays a request, it hardly changes the CPU the request needs.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import psutil

TICKS_PER_S = os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and its children (gunicorn's master and workers) so far."""
    root = psutil.Process(pid)
    total = 0.0
    for process in [root, *root.children(recursive=True)]:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def machine_busy_seconds() -> float:
    """CPU seconds every process on the machine has used since boot (all cores, idle and iowait excluded)."""
    busy, _ = _cpu_ticks()
    return busy / TICKS_PER_S


def per_request(cpu_seconds: float | None, requests: int) -> dict:
    """CPU seconds over the run ÷ requests answered, and the requests/s one core serves at that cost."""
    ms = 1000 * cpu_seconds / requests if requests and cpu_seconds else None
    return {"cpu_s": round(cpu_seconds, 1) if cpu_seconds is not None else None, "requests": requests,
            "cpu_ms_per_request": round(ms, 2) if ms else None,
            "requests_per_s_per_core": round(1000 / ms, 1) if ms else None}


def shares(web_s: float, generator_s: float | None, machine_s: float, requests: int) -> dict:
    """The machine's busy CPU over the run split into web tier, load generator and the rest (PostgreSQL,
    Redis, rq worker, scheduler, and any other work on the machine), each also per request."""
    rest = machine_s - web_s - (generator_s or 0)
    return {"web_cpu": per_request(web_s, requests), "generator_cpu": per_request(generator_s, requests),
            "other_cpu": per_request(max(rest, 0.0), requests), "machine_cpu": per_request(machine_s, requests)}


def sample_load(load: dict, stop: threading.Event, every: float = 5.0) -> None:
    """Load average and CPU busy share every ``every`` seconds (from /proc/stat) into ``load["samples"]``."""
    previous = _cpu_ticks()
    while not stop.wait(every):
        now = _cpu_ticks()
        busy, total = now[0] - previous[0], now[1] - previous[1]
        previous = now
        load["samples"].append({"load_1m": round(os.getloadavg()[0], 2),
                                "cpu_busy_percent": round(100 * busy / total, 1) if total else None})


def _cpu_ticks() -> tuple[int, int]:
    """(busy, total) clock ticks of all cores since boot."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)
