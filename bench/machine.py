"""What the benchmarks ran on: hardware, versions, commit and load."""

from __future__ import annotations

import datetime as dt
import os
import platform as host
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path


def machine_info() -> dict:
    """CPU, versions, commit and load average, for bench/results/engine.json."""
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cpu_count": os.cpu_count(),
        "cpu": _cpu_model(),
        "python": sys.version.split()[0],
        "platform": host.platform(),
        "spiffworkflow": version("SpiffWorkflow"),
        "sqlalchemy": version("SQLAlchemy"),
        "psycopg": version("psycopg"),
        "git_commit": _git("rev-parse", "--short", "HEAD"),
        "git_dirty": bool(_git("status", "--porcelain")),
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
    }


def _cpu_model() -> str:
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
    except OSError:
        lines = []
    names = [line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")]
    return names[0] if names else host.processor()


def _git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""
