"""``python -m bench``: run every benchmark, print tables, write bench/results/engine.json.

``--only throughput,loop`` runs some sections and prints them without writing the results file.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time

from sqlalchemy.engine import make_url

from . import imports as import_bench
from . import jobs, loop, scripts, throughput, timers, web_layer, worklist, worklist_data
from . import search as search_bench
from .common import (
    IMPORT_DB,
    RESULTS_DIR,
    SEARCH_DB,
    WORKLIST_DB,
    pg_url,
    prepare_postgres,
    table,
    temp_sqlite_url,
    with_database,
)
from .machine import machine_info

SECTIONS = ("throughput", "web", "scripts", "loop", "timers", "jobs", "worklist", "search", "import")
STATE_LIMIT = 4096
WORKLIST_P95_MS = 50
SEARCH_P95_MS = 50
TIMER_LAG_MS = 5000
JOB_LATENCY_P95_MS = 1000
FLOOR_RATIO_TARGET = 1.5
WEB_LAYER_MS_TARGET = 2.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated subset of {SECTIONS}")
    args = parser.parse_args(argv)
    only = [s for s in args.only.split(",") if s]
    if unknown := set(only) - set(SECTIONS):
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)

    began = time.perf_counter()
    results: dict = {"machine": machine_info()}
    pg = pg_url()
    pg_problem = prepare_postgres(pg)
    if pg_problem:
        print(f"PostgreSQL is not reachable, its figures are skipped: {pg_problem}\n")
    results["postgresql"] = {"url": _safe(pg), "available": pg_problem is None, "problem": pg_problem}

    if "throughput" in only:
        results["throughput"], results["state_bytes"] = run_throughput(None if pg_problem else pg)
    if "web" in only:
        results["web_layer"] = run_web_layer(None if pg_problem else pg, results.get("throughput", {}))
    if "scripts" in only:
        results["scripts"] = run_scripts(None if pg_problem else pg)
    if "loop" in only:
        results["loop"] = run_loop()
    if "timers" in only:
        results["timers"] = run_timers(None if pg_problem else pg)
    if "jobs" in only:
        results["jobs"] = run_jobs(None if pg_problem else pg)
    if "worklist" in only:
        results["worklist"] = run_worklist(None if pg_problem else with_database(pg, WORKLIST_DB))
    if "search" in only:
        results["search"] = run_search(None if pg_problem else with_database(pg, SEARCH_DB))
    if "import" in only:
        results["import"] = run_import(None if pg_problem else with_database(pg, IMPORT_DB))
    results["targets"] = targets(results)
    print(table("Targets", ["target", "measured", "met"], results["targets"]["rows"]))
    results["machine"]["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    results["machine"]["bench_seconds"] = round(time.perf_counter() - began, 1)
    print(f"load average before {results['machine']['load_average_before']}, "
          f"after {results['machine']['load_average_after']}; took {results['machine']['bench_seconds']} s")
    if set(only) == set(SECTIONS):
        write(results)
    else:
        print("(partial run: bench/results/engine.json left unchanged)")
    return 0


def run_throughput(pg: str | None) -> tuple[dict, dict]:
    raw = throughput.RawSpiff()
    figures = {"raw_spiff": throughput.measure(raw.run_instance)}
    sqlite = throughput.PlatformRun(temp_sqlite_url())
    figures["platform_sqlite"] = throughput.measure(sqlite.run_instance)
    sizes = throughput.state_sizes(raw, sqlite.first_state())
    sqlite.close()
    if pg:
        postgres = throughput.PlatformRun(pg)
        figures["platform_postgresql"] = throughput.measure(postgres.run_instance)
        postgres.close()
        floor = throughput.DurableFloor(pg)
        figures["postgresql_floor"] = throughput.measure(floor.run_instance)
        floor.close()
    base = figures["raw_spiff"]["instances_per_s"]
    for name in ("platform_sqlite", "platform_postgresql", "postgresql_floor"):
        if name in figures:
            figures[name]["ratio_to_raw"] = round(figures[name]["instances_per_s"] / base, 3)
    labels = {"raw_spiff": "raw SpiffWorkflow 3.2, serialize+deserialize every step",
              "platform_sqlite": "platform, SQLite file, one transaction per step",
              "platform_postgresql": "platform, PostgreSQL, one transaction per step",
              "postgresql_floor": "PostgreSQL alone: 3 durable transactions, no engine (floor)"}
    rows = [[labels[k], v["instances_per_s"], v["ms_per_instance"], v.get("ratio_to_raw", 1.0)]
            for k, v in figures.items() if k in labels]
    if not pg:
        rows.append([labels["platform_postgresql"], "skipped", None, None])
    print(table(f"Approval process, complete instances ({throughput.ROUNDS} rounds x {throughput.PER_ROUND} after "
                f"{throughput.WARMUP} warm-up; median round)",
                ["variant", "instances/s", "ms/instance", "x raw"], rows))
    if pg:
        figures["against_floor"] = against_floor(figures)
        f = figures["against_floor"]
        print(f"Platform against its floor: {f['platform_ms']} ms per instance / ({f['raw_spiff_ms']} ms raw Spiff "
              f"save-every-step + {f['postgresql_floor_ms']} ms PostgreSQL durable floor) = {f['ratio']}x "
              f"(target <= {FLOOR_RATIO_TARGET})\n")
    print(table("Saved state per instance at the first user task", ["what", "bytes"], [
        ["raw Spiff serialize_json (spec embedded)", sizes["raw_spiff_bytes"]],
        ["  of which spec + subprocess specs", sizes["raw_spiff_spec_bytes"]],
        ["platform process_instance.state", sizes["platform_state_bytes"]],
    ]))
    return figures, sizes


def run_web_layer(pg: str | None, throughput_figures: dict) -> dict:
    if pg is None:
        print("Web-layer benchmark skipped: it needs PostgreSQL.\n")
        return {"skipped": True}
    engine = throughput_figures.get("platform_postgresql")
    if engine is None:  # measured here when the throughput section did not run
        postgres = throughput.PlatformRun(pg)
        engine = throughput.measure(postgres.run_instance)
        postgres.close()
    figures = web_layer.web_layer(web_layer.measure(pg), engine["ms_per_instance"])
    print(table(f"Web layer: approval instance through the JSON API, gunicorn 1 sync worker, PostgreSQL "
                f"({web_layer.ROUNDS} rounds x {web_layer.PER_ROUND}; {web_layer.REQUESTS_PER_INSTANCE} requests each)",
                ["what", "ms"], [
                    ["HTTP: start + 2 completions, per instance", figures["http_ms_per_instance"]],
                    ["engine in process, same work (same users: lane members told of each new task)",
                     figures["engine_same_work_ms_per_instance"]],
                    ["  (throughput section's platform_postgresql: no lane members)",
                     figures["engine_ms_per_instance"]],
                    ["web layer per request = (HTTP - engine) / 3", figures["web_ms_per_request"]]]))
    return figures


def against_floor(figures: dict) -> dict:
    """Platform on PostgreSQL ÷ (raw Spiff saving every step + PostgreSQL's 3 durable transactions), one run."""
    platform_ms = figures["platform_postgresql"]["ms_per_instance"]
    raw_ms, floor_ms = figures["raw_spiff"]["ms_per_instance"], figures["postgresql_floor"]["ms_per_instance"]
    return {"platform_ms": platform_ms, "raw_spiff_ms": raw_ms, "postgresql_floor_ms": floor_ms,
            "ratio": round(platform_ms / (raw_ms + floor_ms), 2)}


def run_scripts(pg: str | None) -> dict:
    figures = {"sqlite": scripts.process_rates(temp_sqlite_url())}
    if pg:
        figures["postgresql"] = scripts.process_rates(pg)
    rows = []
    for backend, f in figures.items():
        rows.append([f"approval, no script ({backend})", f["without_script"]["instances_per_s"],
                     f["without_script"]["ms_per_instance"]])
        rows.append([f"approval + script task ({backend})", f["with_script"]["instances_per_s"],
                     f["with_script"]["ms_per_instance"]])
    print(table("Script limits: approval without and with a script task (worker process, CPU and memory "
                "limits)", ["variant", "instances/s", "ms/instance"], rows))
    figures["evaluation_us"] = scripts.evaluation_costs()
    print(table(f"One evaluation (median of {scripts.EVALUATIONS}, microseconds)", ["what", "us"],
                [[name, us] for name, us in figures["evaluation_us"].items()]))
    return figures


def run_loop() -> dict:
    figures = {"raw_spiff": loop.raw_spiff(), "platform_workflow": loop.platform_workflow(),
               "platform_service_sqlite": loop.platform_service(temp_sqlite_url())}
    rows = []
    for label, key in (("raw SpiffWorkflow BpmnWorkflow", "raw_spiff"),
                       ("platform PlatformWorkflow (sandboxed scripts)", "platform_workflow")):
        f = figures[key]
        per = f["per_iteration_ms"]
        rows.append([label, f["iterations_run"], per["100"], per["500"], per["1000"], f["growth_last_vs_100"],
                     f["total_s"], f["user_task_visible"], f["state_bytes"]])
    service = figures["platform_service_sqlite"]
    rows.append(["platform engine.start on SQLite (run + save)", loop.TARGET, None, None, None, None,
                 service["total_s"], service["user_task_visible"], service["state_bytes"]])
    print(table(f"Script loop of {loop.TARGET} iterations (CPU ms per iteration at N: median over the {loop.WINDOW} "
                "iterations ending at N)", ["variant", "iterations", "@100", "@500", "@1000", "last/@100", "total s",
                                 "user task", "state bytes"], rows))
    raw = figures["raw_spiff"]
    if not raw["user_task_visible"]:
        print(f"raw Spiff stopped after {raw['iterations_run']} iterations: no READY user task, "
              f"is_completed() = {raw['reports_completed']} (task iteration max_depth=1000)\n")
    return figures


def run_timers(pg: str | None) -> dict:
    figures = {"sqlite": timers.measure(temp_sqlite_url())}
    if pg:
        figures["postgresql"] = timers.measure(pg)
    rows = [[name, f["fired"], f["median_ms"], f["p95_ms"], f["max_ms"], f["scheduled_p95_ms"]]
            for name, f in figures.items()]
    print(table(f"Timer lag, due -> user task row ({timers.INSTANCES} instances, {timers.WAIT} timer, "
                f"scheduler tick {timers.INTERVAL_S} s, jobs in process)",
                ["backend", "fired", "median ms", "p95 ms", "max ms", "due->job p95 ms"], rows))
    return figures


def run_jobs(pg: str | None) -> dict:
    redis = jobs.redis_url()
    problem = "it needs PostgreSQL" if pg is None else jobs.redis_problem(redis)
    if problem:
        print(f"Job latency skipped: {problem}\n")
        return {"skipped": True, "problem": problem}
    figures = jobs.measure(pg, redis)
    rows = [[label, f["done"], f["median_ms"], f["p95_ms"], f["max_ms"]] for label, f in (
        ("web push after commit (50 ms timeout, breaker)", figures["web_push"]),
        (f"relay only (scheduler tick {jobs.TICK_S} s)", figures["relay_only"]))]
    print(table(f"Job latency, commit -> worker claims the job ({jobs.JOBS} jobs, {jobs.WORKERS} rq workers, "
                "PostgreSQL + Redis)", ["push", "done", "median ms", "p95 ms", "max ms"], rows))
    return figures


def run_worklist(url: str | None) -> dict:
    if url is None:
        print("Worklist benchmark skipped: it needs PostgreSQL.\n")
        return {"skipped": True}
    problem = prepare_postgres(url)
    if problem:
        print(f"Worklist benchmark skipped: {problem}\n")
        return {"skipped": True, "problem": problem}
    figures = {"data": worklist_data.generate(url), **worklist.measure(url)}
    data, counts, sizes = figures["data"], figures["counts"], figures["sizes"]
    rows = [[label, f["median_ms"], f["p95_ms"], f["max_ms"]] for label, f in (
        ("services.processes.worklist.list_tasks queue, page 1, by due", figures["query_queue"]),
        ("services.processes.worklist.list_tasks mine, page 1, by due", figures["query_mine"]),
        ("GET /worklist/?list=queue (Flask test client)", figures["page_queue"]),
    )]
    print(table(f"Worklist on PostgreSQL: {data['human_task_rows']:,} task rows, queue {sizes['queue']:,} "
                f"(badge {counts['queue']}), mine {sizes['mine']:,} (badge {counts['mine']}) "
                f"({worklist.SAMPLES} samples; data generated in {data['generate_s']} s)",
                ["what", "median ms", "p95 ms", "max ms"], rows))
    statements = [[f"{which}: {p['sql'][:70]}", p["execution"]] for which, plans in figures["plans"].items()
                  for p in plans if which == "page_queue" or p["sql"].startswith(("SELECT human_task",
                                                                                  "SELECT (SELECT count"))]
    print(table("Worklist statements (EXPLAIN ANALYZE execution time): the task statements of list_tasks, "
                "every statement of the page", ["statement", "execution"], statements))
    return figures


def run_import(url: str | None) -> dict:
    if url is None:
        print("Import benchmark skipped: it needs PostgreSQL.\n")
        return {"skipped": True}
    problem = prepare_postgres(url)
    if problem:
        print(f"Import benchmark skipped: {problem}\n")
        return {"skipped": True, "problem": problem}
    f = import_bench.measure(url)
    print(table(f"Import of {f['rows']:,} generated customer rows (CSV, PostgreSQL, the wizard's jobs in process; "
                f"peak RSS {f['peak_rss_mb']} MB, {f['rss_before_mb']} MB before)",
                ["phase", "seconds", "rows/s"], [
                    ["dry run: read, check, stage, duplicates", f["check_s"], f["check_rows_per_s"]],
                    ["import: create customers + history, outcomes", f["import_s"], f["import_rows_per_s"]],
                    ["total", f["total_s"], f["rows_per_s"]]]))
    return f


def run_search(url: str | None) -> dict:
    if url is None:
        print("Search benchmark skipped: it needs PostgreSQL.\n")
        return {"skipped": True}
    problem = prepare_postgres(url)
    if problem:
        print(f"Search benchmark skipped: {problem}\n")
        return {"skipped": True, "problem": problem}
    figures = {"data": search_bench.generate(url), **search_bench.measure(url)}
    rows = [[label, f["median_ms"], f["p95_ms"], f["max_ms"], f["n"]] for label, f in (
        ("services.search.search, director (all customers)", figures["service_director"]),
        ("services.search.search, salesperson (own customers)", figures["service_salesperson"]),
        ("GET /search/?q=… as director (Flask test client)", figures["page_director"]),
    )]
    print(table(f"Global search on PostgreSQL: {figures['data']['customers']:,} customers and contacts, queries "
                f"{', '.join(search_bench.QUERIES)} ({search_bench.ROUNDS} rounds; data generated in "
                f"{figures['data']['generate_s']} s)", ["what", "median ms", "p95 ms", "max ms", "n"], rows))
    print(table("Search statements of a director (EXPLAIN ANALYZE)", ["query", "result"],
                list(figures["plans"].items())))
    return figures


def targets(results: dict) -> dict:
    """The issue's targets against what was measured (None where a section did not run)."""
    checks: list[list] = []
    tp = results.get("throughput", {})
    if "against_floor" in tp:
        ratio = tp["against_floor"]["ratio"]
        checks.append([f"platform on PostgreSQL <= {FLOOR_RATIO_TARGET}x (raw save-every-step + PostgreSQL floor)",
                       f"{ratio:.2f}x", ratio <= FLOOR_RATIO_TARGET])
    if "state_bytes" in results:
        size = results["state_bytes"]["platform_state_bytes"]
        checks.append(["state at first user task <= 4 KB", f"{size:,} bytes", size <= STATE_LIMIT])
    if "loop" in results:
        f = results["loop"]["platform_workflow"]
        growth = f["growth_last_vs_100"]
        flat = f["iterations_run"] == loop.TARGET and growth is not None and growth <= 1.5
        completes = f["user_task_visible"] and results["loop"]["platform_service_sqlite"]["user_task_visible"]
        checks.append(["1,000-iteration loop completes, flat cost per iteration",
                       f"{f['iterations_run']} iterations, @1000/@100 = {growth}", bool(flat and completes)])
    for backend, f in results.get("timers", {}).items():
        checks.append([f"timers fire <= 5 s after due ({backend}, max)", f"{f['max_ms']:,.0f} ms",
                       f["fired"] == f["instances"] and f["max_ms"] <= TIMER_LAG_MS])
    jb = results.get("jobs", {})
    if "web_push" in jb:
        p95 = jb["web_push"]["p95_ms"]
        checks.append(["job latency p95 <= 1 s (commit -> worker)", f"{p95:,.0f} ms", p95 <= JOB_LATENCY_P95_MS])
    web = results.get("web_layer", {})
    if "web_ms_per_request" in web:
        ms = web["web_ms_per_request"]
        checks.append([f"web layer <= {WEB_LAYER_MS_TARGET} ms per request (HTTP - engine)", f"{ms} ms",
                       ms <= WEB_LAYER_MS_TARGET])
    wl = results.get("worklist", {})
    if "page_queue" in wl:
        p95 = wl["page_queue"]["p95_ms"]
        checks.append(["worklist page p95 <= 50 ms (PostgreSQL)", f"{p95} ms", p95 <= WORKLIST_P95_MS])
    sr = results.get("search", {})
    if "page_director" in sr:
        p95 = max(sr["service_director"]["p95_ms"], sr["service_salesperson"]["p95_ms"])
        checks.append(["global search p95 <= 50 ms over 100,000 customers (PostgreSQL)", f"{p95} ms",
                       p95 <= SEARCH_P95_MS])
    im = results.get("import", {})
    if "total_s" in im:
        checks.append([f"import of {im['rows']:,} customer rows <= {im['target_s']} s (PostgreSQL)",
                       f"{im['total_s']} s", im["total_s"] <= im["target_s"] and im["created"] == im["rows"]])
    return {"rows": [[name, measured, "yes" if ok else "NO"] for name, measured, ok in checks],
            "all_met": all(ok for *_, ok in checks)}


def write(results: dict) -> None:
    RESULTS_DIR.mkdir(exist_ok=True)
    target = RESULTS_DIR / "engine.json"
    scratch = target.with_suffix(".json.tmp")
    scratch.write_text(json.dumps(results, indent=2, default=str) + "\n")
    scratch.replace(target)
    print(f"wrote {target.relative_to(RESULTS_DIR.parent.parent)}")


def _safe(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)




if __name__ == "__main__":
    sys.exit(main())
