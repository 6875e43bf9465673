"""``python -m bench.loadtest --users 60 --duration 120``: the production topology under simulated people.

Prepares a PostgreSQL database (``LOAD_DATABASE_URL``, default ``crm_load`` on the local server; its
``public`` schema is dropped) with the demo data and generated open work, starts gunicorn (``--workers``,
``--worker-class``), an rq worker and the scheduler on loopback with Redis (``LOAD_REDIS_URL``), runs
Locust headless for ``--duration`` seconds (sign-ins spread over the first ``--ramp`` seconds), stops
everything and writes ``bench/results/load.json`` (the run for this number of users replaces an older
one) and prints a table. Figures come from the steady window after the ramp; sign-ins from the whole run.
CPU per request over the whole run: the web tier's, the load generator's and the rest of the machine's
(PostgreSQL, Redis, worker, scheduler, other work), so a reader sees who used the cores.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse

from sqlalchemy.engine import make_url

from bench import servers
from bench.common import RESULTS_DIR, prepare_postgres, settings, table
from bench.machine import machine_info
from config import PROJECT_ROOT
from demo import load_demo

from . import cpu
from .data import generate
from .stats import summarize

DEFAULT_DB = "postgresql+psycopg://postgres@127.0.0.1:5432/crm_load"
DEFAULT_REDIS = "redis://127.0.0.1:6379/12"
LOCUSTFILE = Path(__file__).with_name("locustfile.py")
RESULTS = RESULTS_DIR / "load.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.loadtest", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=60, help="simulated people (default 60)")
    parser.add_argument("--duration", type=int, default=120, help="seconds of load in all, ramp included (120)")
    parser.add_argument("--ramp", type=int, help="seconds over which people sign in (default a third of the run)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--worker-class", default="sync", choices=("sync", "gthread"))
    parser.add_argument("--threads", type=int, default=1, help="threads per gthread worker")
    parser.add_argument("--rounds", type=int, default=12, help="rounds of generated open work (default 12)")
    parser.add_argument("--reuse-data", action="store_true",
                        help="keep the database as the last run left it (no schema drop, no new data)")
    parser.add_argument("--no-write", action="store_true", help="print only, leave load.json alone")
    parser.add_argument("--output", type=Path, help="also write this run's figures to this JSON file")
    args = parser.parse_args(argv)
    ramp = args.ramp if args.ramp is not None else max(1, args.duration // 3)
    database = os.environ.get("LOAD_DATABASE_URL", DEFAULT_DB)
    redis = os.environ.get("LOAD_REDIS_URL", DEFAULT_REDIS)

    run = {"machine": machine_info(), "parameters": {
        "users": args.users, "duration_s": args.duration, "ramp_s": ramp, "think_time_s": [3, 10],
        "gunicorn": f"{args.workers} x {args.worker_class}" + (f" ({args.threads} threads)"
                                                                if args.worker_class == "gthread" else ""),
        "rq_workers": 1, "schedulers": 1}}
    if args.reuse_data:
        run["data"] = {"reused": True}
    else:
        problem = prepare_postgres(database)
        if problem:
            print(f"PostgreSQL is not usable: {problem}")
            return 1
        print("demo data and open work ...", flush=True)
        run["data"] = prepare_data(database, args.rounds)
        print(f"  {run['data']['open_tasks']} open tasks, {run['data']['instances_started']} generated instances")

    queue = f"load-{uuid.uuid4().hex[:8]}"
    env = servers.environment(database, redis, queue)
    port = servers.free_port()
    base = f"http://127.0.0.1:{port}"
    web = servers.gunicorn(env, port, args.workers, args.worker_class, args.threads)
    worker = servers.flask_command(env, "engine", "worker")
    scheduler = servers.flask_command(env, "engine", "scheduler")
    usage = cpu.CpuByKind({
        "web": cpu.tree(web.pid), "rq_worker": cpu.tree(worker.pid), "scheduler": cpu.tree(scheduler.pid),
        "postgres_backends": cpu.postgres_backends(make_url(database).database), "postgres_server": cpu.postgres_server,
        "redis_server": cpu.redis_server(urlparse(redis).port or 6379)})
    try:
        servers.wait_ready(base, web)
        usage.sample()
        machine_before = cpu.machine_busy_seconds()
        samples, load, generator_cpu, recorded = run_locust(base, args.users, args.duration, ramp, usage)
        usage.sample()
        machine_cpu = cpu.machine_busy_seconds() - machine_before
    finally:
        servers.stop(web, worker, scheduler)
        _empty_queue(redis, queue)
    run["machine"]["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    run["machine"]["load_during"] = load
    run.update(summarize(samples, ramp))
    run["refusals"] = refusal_reasons(recorded["refusals"])
    run["work_sought"] = {login: {"found": found, "found_none": none}
                          for login, (found, none) in sorted(recorded["work_sought"].items())}
    run["data"]["open_tasks_after"] = open_tasks(database)
    by_kind = usage.seconds()
    run.update(cpu.shares(by_kind.pop("web"), generator_cpu, machine_cpu, len(samples), by_kind))
    print_run(run)
    if args.output:
        args.output.write_text(json.dumps(run, indent=2, default=str) + "\n")
    if not args.no_write:
        write(run)
    return 0


def prepare_data(database: str, rounds: int) -> dict:
    """Demo data (users, processes, sample records) plus ``rounds`` of generated processes in flight."""
    from app import build_platform

    platform = build_platform(settings(database))
    try:
        for _ in load_demo(platform):
            pass
        return generate(platform, rounds)
    finally:
        platform.db.dispose()


def run_locust(base: str, users: int, duration: int, ramp: int, usage: cpu.CpuByKind
               ) -> tuple[list, dict, float | None, dict]:
    """Locust headless in its own process; returns its samples, the machine's load meanwhile, the CPU seconds
    Locust used while the test ran and what it recorded besides (``refusals``: reasons of the 422s;
    ``work_sought``: per login, how often people looking for a task to complete found one or none)."""
    with tempfile.TemporaryDirectory(prefix="crm-load-") as scratch:
        samples_file = Path(scratch) / "samples.json"
        command = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--host", base,
                   "-u", str(users), "-r", f"{users / ramp:.3f}", "-t", f"{duration}s", "--stop-timeout", "10",
                   "--only-summary", "--loglevel", "WARNING"]
        stop = threading.Event()
        load: dict = {"samples": []}
        sampler = threading.Thread(target=cpu.sample_load, args=(load, stop, usage), daemon=True)
        sampler.start()
        done = subprocess.run(command, env={**os.environ, "LOAD_SAMPLES": str(samples_file)}, cwd=PROJECT_ROOT,
                              capture_output=True, text=True, timeout=duration + 120)
        stop.set()
        sampler.join()
        recorded = json.loads(samples_file.read_text()) if samples_file.exists() else {"samples": []}
        raw = recorded["samples"]
        if not raw:
            raise RuntimeError(f"locust recorded nothing (exit {done.returncode}): {done.stderr[-3000:]}")
        began = min(t for t, *_ in raw)  # the first person's first request: Locust itself takes a while to start
        samples = [(t - began, *rest) for t, *rest in raw]
    values = [s["load_1m"] for s in load["samples"]]
    load["load_1m_max"] = max(values, default=None)
    load["cpu_busy_percent_mean"] = round(sum(s["cpu_busy_percent"] for s in load["samples"])
                                          / max(1, len(load["samples"])), 1)
    return samples, load, recorded["cpu_s"], recorded


def refusal_reasons(refusals: list) -> dict[str, int]:
    """How often each form refused each answer (``process/task field: message``), most frequent first."""
    counted = Counter(f"{about} {field}: {message}" for about, fields in refusals
                      for field, messages in (fields or {"?": ["(no reason shown)"]}).items() for message in messages)
    return dict(counted.most_common())


def open_tasks(database: str) -> dict[str, int]:
    """Ready tasks by lane when the run ended: whether people still had work to find."""
    from sqlalchemy import create_engine, func, select

    from engine.models import HumanTask

    engine = create_engine(database)
    try:
        with engine.connect() as connection:
            return dict(connection.execute(select(HumanTask.role, func.count()).where(HumanTask.status == "ready")
                                           .group_by(HumanTask.role).order_by(HumanTask.role)).all())
    finally:
        engine.dispose()


def _empty_queue(redis: str, queue: str) -> None:
    from redis import Redis
    from rq import Queue

    try:
        Queue(queue, connection=Redis.from_url(redis)).delete(delete_jobs=True)
    except Exception as exc:  # the figures are written anyway; a leftover queue is only untidy
        print(f"could not delete the rq queue {queue}: {exc}")


def print_run(run: dict) -> None:
    p, overall = run["parameters"], run["overall"]
    rows = [[name, e["requests"], e["p50_ms"], e["p95_ms"], e["p99_ms"], e["errors"], e["expected_409"],
             e["rejected_422"]] for name, e in run["endpoints"].items()]
    rows.append(["ALL (steady window)", overall["requests"], overall["p50_ms"], overall["p95_ms"], overall["p99_ms"],
                 overall["errors"], overall["expected_409"], overall["rejected_422"]])
    print(table(f"Load: {p['users']} people, {p['duration_s']} s (ramp {p['ramp_s']} s), gunicorn {p['gunicorn']}; "
                f"{overall['requests_per_s']} requests/s in the steady window",
                ["endpoint", "requests", "p50 ms", "p95 ms", "p99 ms", "errors", "409", "422"], rows))
    sign_in = run["sign_in"]
    load = run["machine"]["load_during"]
    print(f"sign-in (whole run): {sign_in['requests']} p50 {sign_in['p50_ms']} ms, p95 {sign_in['p95_ms']} ms, "
          f"p99 {sign_in['p99_ms']} ms, errors {sign_in['errors']}")
    web = run["web_cpu"]
    print(f"web (gunicorn, all workers) CPU: {web['cpu_ms_per_request']} ms per request = "
          f"{web['requests_per_s_per_core']} requests/s per core")
    print(f"who used the cores, CPU ms per request: web {web['cpu_ms_per_request']}, load generator (Locust) "
          f"{run['generator_cpu']['cpu_ms_per_request']}, the rest {run['other_cpu']['cpu_ms_per_request']} ("
          + ", ".join(f"{kind} {figures['cpu_ms_per_request'] or 0}"
                      for kind, figures in run["other_cpu_by_process"].items())
          + f"); machine {run['machine_cpu']['cpu_ms_per_request']}")
    refused = run["refusals"]
    print(f"submissions refused (422), by reason: {json.dumps(refused, ensure_ascii=False) if refused else 'none'}")
    sought = ", ".join(f"{login} {w['found_none']}/{w['found'] + w['found_none']}"
                       for login, w in run["work_sought"].items())
    print(f"looking for a task to complete, found none (per login, times/looked): {sought}")
    print(f"open tasks by lane before -> after: {run['data'].get('open_tasks_by_role')} -> "
          f"{run['data']['open_tasks_after']}")
    print(f"machine: {run['machine']['cpu_count']} CPUs, load average before "
          f"{run['machine']['load_average_before']}, max during {load['load_1m_max']}, CPU busy "
          f"{load['cpu_busy_percent_mean']} % (everything on the machine, other work included)")


def write(run: dict) -> None:
    RESULTS_DIR.mkdir(exist_ok=True)
    existing = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    runs = existing.get("runs", {})
    runs[str(run["parameters"]["users"])] = run
    RESULTS.write_text(json.dumps({"runs": dict(sorted(runs.items(), key=lambda kv: int(kv[0])))},
                                  indent=2, default=str) + "\n")
    print(f"wrote {RESULTS.relative_to(RESULTS_DIR.parent.parent)} (runs: {', '.join(runs)})")


if __name__ == "__main__":
    sys.exit(main())
