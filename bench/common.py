"""Shared helpers: diagrams, databases, platforms, timing statistics and plain-text tables."""

from __future__ import annotations

import os
import statistics
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import psycopg
from sqlalchemy import event
from sqlalchemy.engine import make_url

import config
from app import Platform, build_platform
from engine.models import HumanTask
from engine.runtime import Actor
from services.schema import upgrade

BPMN_DIR = Path(__file__).parent / "bpmn"
RESULTS_DIR = Path(__file__).parent / "results"
DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/crm_bench"
WORKLIST_DB = "crm_bench_worklist"
SEARCH_DB = "crm_bench_search"
IMPORT_DB = "crm_bench_import"

BENCH_ACTOR = Actor("bench", frozenset({"salesperson", "customer_director"}))
"""Holds both lanes of the approval process (and the loop/timer processes' Salesperson lane)."""


def bpmn(name: str) -> bytes:
    """A diagram copied into bench/bpmn (bench does not depend on tests/)."""
    return (BPMN_DIR / name).read_bytes()


def pg_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG_URL)


def with_database(url: str, name: str) -> str:
    """``url`` pointing at database ``name`` instead."""
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def prepare_postgres(url: str) -> str | None:
    """Create the database if missing, empty its ``public`` schema and migrate it.

    Returns None when that worked, else why PostgreSQL is not usable.
    """
    parsed = make_url(url)
    try:
        admin = psycopg.connect(host=parsed.host, port=parsed.port or 5432, user=parsed.username,
                                password=parsed.password, dbname="postgres", autocommit=True, connect_timeout=3)
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (parsed.database,)).fetchone()
        if not exists:
            admin.execute(f'CREATE DATABASE "{parsed.database}"')
        admin.close()
        with psycopg.connect(host=parsed.host, port=parsed.port or 5432, user=parsed.username,
                             password=parsed.password, dbname=parsed.database, autocommit=True) as conn:
            conn.execute("DROP SCHEMA public CASCADE")
            conn.execute("CREATE SCHEMA public")
    except Exception as exc:
        return f"{parsed.host}:{parsed.port or 5432}/{parsed.database}: {exc.__class__.__name__}: {exc}".strip()
    upgrade(url)
    return None


def temp_sqlite_url() -> str:
    """A fresh, migrated SQLite file database in a new temporary directory."""
    path = Path(tempfile.mkdtemp(prefix="crm-bench-")) / "bench.sqlite"
    url = f"sqlite:///{path}"
    upgrade(url)
    return url


def settings(database_url: str) -> config.Settings:
    """Embedded-default settings (jobs run in process) for a bench database."""
    return config.Settings(database_url=database_url, secret_key="bench-secret-key-of-the-benchmarks-only-0123456789")


def platform_for(database_url: str, *diagrams: str, settings_override: config.Settings | None = None) -> Platform:
    """A platform on ``database_url`` with ``diagrams`` deployed; it notes the task rows each step creates."""
    platform = build_platform(settings_override or settings(database_url))
    platform.engine.task_listeners.append(_note_new_task)
    with platform.sessions.begin() as session:
        platform.engine.deploy(session, {name: bpmn(name) for name in diagrams}, "bench")
    return platform


def _note_new_task(session, row: HumanTask) -> None:
    session.info.setdefault("bench_new_tasks", []).append(row.id)


def start(platform: Platform, key: str, data: dict, actor: Actor = BENCH_ACTOR) -> tuple[int, list[str]]:
    """Start an instance in its own transaction, as a web request would; returns (id, new task ids)."""
    with platform.sessions() as session:
        instance = platform.engine.start(session, key, data, actor)
        session.commit()
        platform.relay.after_commit(session)
        return instance.id, session.info.pop("bench_new_tasks", [])


def complete(platform: Platform, task_id: str, data: dict, actor: Actor = BENCH_ACTOR) -> list[str]:
    """Complete a task in its own transaction; returns the ids of the task rows this created."""
    with platform.sessions() as session:
        platform.engine.complete(session, task_id, data, actor)
        session.commit()
        platform.relay.after_commit(session)
        return session.info.pop("bench_new_tasks", [])


def summary_ms(samples: Sequence[float]) -> dict[str, float]:
    """Median, p95 and max of durations given in seconds, as milliseconds."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return {"median_ms": round(statistics.median(ordered) * 1000, 2), "p95_ms": round(p95 * 1000, 2),
            "max_ms": round(ordered[-1] * 1000, 2), "n": len(ordered)}


def table(title: str, header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain-text table with left-aligned first column and right-aligned others."""
    cells = [[str(c) for c in header]] + [[_fmt(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]

    def line(row):
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True)))

    rule = "-" * len(line(cells[0]))
    return "\n".join([title, rule, line(cells[0]), rule, *[line(r) for r in cells[1:]], rule, ""])


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) < 1000 else f"{value:,.0f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return "—" if value is None else str(value)


def explain(platform, call: Callable[[], object]) -> list[dict]:
    """Each statement ``call`` runs, with its time and EXPLAIN (ANALYZE, BUFFERS) plan."""
    captured: list[tuple[str, object]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        captured.append((statement, parameters))

    event.listen(platform.db, "before_cursor_execute", capture)
    try:
        call()
    finally:
        event.remove(platform.db, "before_cursor_execute", capture)
    plans = []
    with platform.db.connect() as conn:
        cursor = conn.connection.driver_connection.cursor()
        for statement, parameters in captured:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {statement}", parameters)
            lines = [row[0] for row in cursor.fetchall()]
            took = next((line.split(":")[1].strip() for line in lines if line.startswith("Execution Time")), "")
            plans.append({"sql": " ".join(statement.split())[:300], "execution": took, "plan": "\n".join(lines)})
    return plans
