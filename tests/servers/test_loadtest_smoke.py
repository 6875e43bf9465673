"""``make loadtest`` in small: a few simulated people for 20 s against gunicorn, PostgreSQL, Redis, an rq
worker and the scheduler; every request answers as expected (no errors), no submission is refused, and the CPU
is reported by kind of process. Timings are not asserted."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from sqlalchemy.engine import make_url

from tests.conftest import ROOT


def _load_database() -> str:
    """``LOAD_DATABASE_URL``, else the test database's name + ``_load`` on the same server (schema dropped)."""
    if os.environ.get("LOAD_DATABASE_URL"):
        return os.environ["LOAD_DATABASE_URL"]
    test = make_url(os.environ["TEST_DATABASE_URL"])
    return test.set(database=f"{test.database}_load").render_as_string(hide_password=False)


@pytest.mark.timeout(900)
def test_a_short_load_run_answers_every_request(tmp_path):
    output = tmp_path / "run.json"
    env = {**os.environ, "LOAD_DATABASE_URL": _load_database(), "LOAD_REDIS_URL": os.environ["TEST_REDIS_URL"]}
    done = subprocess.run([sys.executable, "-m", "bench.loadtest", "--users", "6", "--duration", "20", "--ramp", "4",
                           "--workers", "2", "--rounds", "1", "--no-write", "--output", str(output)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=840)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    run = json.loads(output.read_text())
    assert run["errors_whole_run"] == {}
    assert run["sign_in"]["requests"] == 6
    assert run["overall"]["requests"] > 0
    assert run["overall"]["errors"] == 0
    assert "GET /worklist/ queue" in run["endpoints"]
    assert run["web_cpu"]["requests"] >= run["overall"]["requests"]
    assert run["web_cpu"]["cpu_ms_per_request"] > 0  # gunicorn's workers were found and measured
    assert run["generator_cpu"]["cpu_ms_per_request"] > 0  # Locust's own CPU, reported apart from the web tier's
    assert run["machine_cpu"]["cpu_s"] >= run["web_cpu"]["cpu_s"]
    rest = run["other_cpu_by_process"]  # the rest of the machine by kind of process
    assert set(rest) == {"postgres_backends", "postgres_server", "redis_server", "rq_worker", "scheduler",
                         "unattributed"}
    assert rest["postgres_backends"]["cpu_ms_per_request"] and rest["scheduler"]["cpu_ms_per_request"]  # found
    assert run["refusals"] == {}  # every form answered as the form accepts
    assert run["work_sought"] and run["data"]["open_tasks_after"]
