"""Who used the cores during a load run: the web tier, the load generator, each other kind of process of the
topology (PostgreSQL, Redis, rq worker, scheduler) and everything else on the machine.

The web tier (gunicorn's master and workers) and Locust run on the same cores as PostgreSQL, Redis, the rq
worker and the scheduler, so the latencies alone cannot say whose work the machine did. CPU seconds per
request can: other work delays a request, it hardly changes the CPU the request needs.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

import psutil

TICKS_PER_S = os.sysconf("SC_CLK_TCK")
CLIENT_BACKEND = re.compile(r"\(\d+\)|\[local\]")
"""A PostgreSQL process title naming a client's address (``127.0.0.1(47400)``, ``[local]``): a backend."""
Finder = Callable[[], Iterable[psutil.Process]]


class CpuByKind:
    """CPU seconds used during a run by kinds of processes, each kind found by a function.

    :meth:`sample` is called at the start, every few seconds and at the end: a process that exits in between (a
    backend whose connection closed) still counts up to its last sample, one that starts counts from zero.
    """

    def __init__(self, kinds: dict[str, Finder]):
        self.kinds = kinds
        self._first: dict[tuple[int, float], float] = {}
        self._last: dict[tuple[int, float], tuple[str, float]] = {}
        self._started = False

    def sample(self) -> None:
        for kind, find in self.kinds.items():
            for process in find():
                try:
                    with process.oneshot():
                        key, times = (process.pid, process.create_time()), process.cpu_times()
                except psutil.Error:
                    continue
                used = times.user + times.system
                self._first.setdefault(key, used if not self._started else 0.0)
                self._last[key] = (kind, used)
        self._started = True

    def seconds(self) -> dict[str, float]:
        """CPU seconds per kind between the first sample and each process's last."""
        totals = dict.fromkeys(self.kinds, 0.0)
        for key, (kind, used) in self._last.items():
            totals[kind] += used - self._first[key]
        return totals


def tree(pid: int) -> Finder:
    """A process and its descendants (gunicorn's master and workers; a worker's script processes)."""
    def find() -> list[psutil.Process]:
        try:
            root = psutil.Process(pid)
            return [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []
    return find


def postgres_backends(database: str) -> Finder:
    """PostgreSQL's backends serving connections to ``database`` (their title names it)."""
    return lambda: [p for p in _named("postgres") if f" {database} " in _title(p) and CLIENT_BACKEND.search(_title(p))]


def postgres_server() -> list[psutil.Process]:
    """PostgreSQL's own processes (postmaster, WAL writer, checkpointer, background writer, autovacuum): they
    serve every database of the server."""
    return [p for p in _named("postgres") if not CLIENT_BACKEND.search(_title(p))]


def redis_server(port: int) -> Finder:
    """The redis-server listening on ``port`` (every database number of that server)."""
    return lambda: [p for p in _named("redis-server") if _title(p).rstrip().endswith(f":{port}")]


def _named(name: str) -> list[psutil.Process]:
    return [p for p in psutil.process_iter(["name", "cmdline"]) if p.info["name"] == name]


def _title(process: psutil.Process) -> str:
    return " ".join(process.info["cmdline"] or []) + " "


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


def shares(web_s: float, generator_s: float | None, machine_s: float, requests: int,
           rest_by_kind: dict[str, float]) -> dict:
    """The machine's busy CPU over the run split into web tier, load generator and the rest, each also per
    request; the rest by kind of process (``rest_by_kind``: PostgreSQL, Redis, rq worker, scheduler) and what no
    kind accounts for (``unattributed``: other work on the machine, this harness, processes that exited)."""
    rest = max(machine_s - web_s - (generator_s or 0), 0.0)
    unattributed = max(rest - sum(rest_by_kind.values()), 0.0)
    return {"web_cpu": per_request(web_s, requests), "generator_cpu": per_request(generator_s, requests),
            "other_cpu": per_request(rest, requests), "machine_cpu": per_request(machine_s, requests),
            "other_cpu_by_process": {kind: per_request(seconds, requests)
                                     for kind, seconds in {**rest_by_kind, "unattributed": unattributed}.items()}}


def sample_load(load: dict, stop: threading.Event, usage: CpuByKind, every: float = 5.0) -> None:
    """Load average and CPU busy share every ``every`` seconds (from /proc/stat) into ``load["samples"]``, and a
    sample of ``usage``."""
    previous = _cpu_ticks()
    while not stop.wait(every):
        usage.sample()
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
