"""The engine's Prometheus metrics: how long engine steps and outbox jobs take.

Observed in whatever process does the work (web or rq worker). Under gunicorn or with several
processes on one machine, set ``PROMETHEUS_MULTIPROC_DIR`` (a directory shared by those processes,
emptied before they start) so ``/metrics`` sums every process's observations; see README "Operating it".
"""

from __future__ import annotations

from prometheus_client import Histogram

STEP_BUCKETS = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

ENGINE_STEP_SECONDS = Histogram(
    "crm_engine_step_seconds", "Engine run after a start, completion or job: steps, save, task mirror",
    ["process", "where"], buckets=STEP_BUCKETS)
JOB_SECONDS = Histogram(
    "crm_job_seconds", "Outbox job run time, claim to final status", ["kind", "outcome"], buckets=STEP_BUCKETS)
