"""The production topology on loopback for HTTP measurements: gunicorn, rq worker, scheduler.

Each is a child process with the settings in its environment, as a deployment would run it; the
caller stops them with :func:`stop`.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from config import PROJECT_ROOT

SECRET_KEY = "bench-secret-key-of-the-benchmarks-only-0123456789"
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(database_url: str, redis_url: str = "", queue: str = "crm") -> dict[str, str]:
    """The variables a production process reads (see README), for these servers."""
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": SECRET_KEY, "CRM_QUEUE": queue}
    env.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def gunicorn(env: dict[str, str], port: int, workers: int, worker_class: str = "sync",
             threads: int = 1) -> subprocess.Popen:
    """``gunicorn -w N 'app:create_app()'`` bound to 127.0.0.1:port."""
    command = [str(VENV_BIN / "gunicorn"), "-w", str(workers), "-k", worker_class, "--threads", str(threads),
               "-b", f"127.0.0.1:{port}", "--backlog", "2048", "--log-level", "warning", "app:create_app()"]
    return _spawn(command, env)


def flask_command(env: dict[str, str], *args: str) -> subprocess.Popen:
    """``flask --app app …`` (``engine worker``, ``engine scheduler``) as a child process."""
    return _spawn([sys.executable, "-m", "flask", "--app", "app", *args], env)


def _spawn(command: list[str], env: dict[str, str]) -> subprocess.Popen:
    """Output goes to a temporary file (a pipe nobody reads would fill up and block the server)."""
    with tempfile.NamedTemporaryFile(prefix="crm-bench-server-", suffix=".log", delete=False) as log:
        process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    process.log_path = log.name
    return process


def _tail(process: subprocess.Popen) -> str:
    return Path(process.log_path).read_text(errors="replace")[-2000:]


def wait_ready(base_url: str, process: subprocess.Popen, timeout: float = 180) -> None:
    """Poll ``/readyz`` until it answers 200; fail with the server's stderr if it died or never got ready.

    Generous: on a busy machine a fresh worker's first ``/readyz`` (the migration check loads Alembic) takes
    seconds, and several workers boot at once.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {_tail(process)}")
        try:
            with urllib.request.urlopen(f"{base_url}/readyz", timeout=15) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{base_url}/readyz not ready after {timeout} s: {_tail(process)}")


def stop(*processes: subprocess.Popen) -> None:
    """Terminate, then kill what is still there after 10 s."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        Path(process.log_path).unlink(missing_ok=True)


def post_json(base_url: str, path: str, body: dict, token: str | None = None) -> tuple[int, dict]:
    """One POST on a fresh connection (gunicorn's sync workers close every connection)."""
    request = urllib.request.Request(f"{base_url}{path}", data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json",
                                              **({"Authorization": f"Bearer {token}"} if token else {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")
