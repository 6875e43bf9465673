"""Endpoints for operators' tools: ``/healthz``, ``/readyz`` and ``/metrics``, and the request-time histogram.

``/healthz`` answers while the process can serve (no database, no Redis: a load balancer's liveness
probe). ``/readyz`` answers 200 when the database, its migrations and Redis are fine, else 503 with
the reason as JSON. ``/metrics`` is the Prometheus exposition, only with ``Authorization: Bearer
<CRM_METRICS_TOKEN>``; without a configured token, or with a wrong one, it answers 404.
"""

from __future__ import annotations

import hmac
import os
import time

from flask import Blueprint, Flask, Response, abort, g, jsonify, request
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Histogram, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

from services.admin.operations import DatabaseCollector, readiness
from web import db

bp = Blueprint("operations", __name__)

REQUEST_SECONDS = Histogram(
    "crm_http_request_seconds", "Time to answer an HTTP request, by endpoint (Flask view name)",
    ["endpoint", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0))
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
"""Label values stay bounded: any other method a client invents is counted as "other"."""


@bp.get("/healthz")
def healthz():
    return jsonify(status="alive")


@bp.get("/readyz")
def readyz():
    platform = db.platform()
    ready, checks = readiness(platform.sessions, platform.settings)
    body = {"status": "ready" if ready else "not ready", "checks": checks}
    if not ready:
        body["reason"] = "; ".join(f"{name}: {value}" for name, value in checks.items() if not value.startswith("ok"))
    return jsonify(body), 200 if ready else 503


@bp.get("/metrics")
def metrics():
    platform = db.platform()
    if not _token_matches(platform.settings.metrics_token):
        abort(404)
    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)  # every gunicorn worker's (and local rq worker's) observations
    else:
        registry.register(_ThisProcess())
    registry.register(DatabaseCollector(platform.sessions, platform.settings))
    return Response(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)


def _token_matches(expected: str) -> bool:
    offered = request.headers.get("Authorization", "")
    return bool(expected) and hmac.compare_digest(offered.encode(), f"Bearer {expected}".encode())


class _ThisProcess:
    """This process's own metrics (the default registry), for a single-process server."""

    def describe(self):
        return []

    def collect(self):
        yield from REGISTRY.collect()


def register(app: Flask) -> None:
    """Time every request into :data:`REQUEST_SECONDS`."""
    app.register_blueprint(bp)

    @app.before_request
    def start_clock() -> None:
        g.request_began = time.perf_counter()

    @app.after_request
    def observe_request(response: Response) -> Response:
        began = g.pop("request_began", None)
        if began is not None:
            method = request.method if request.method in _METHODS else "other"
            REQUEST_SECONDS.labels(request.endpoint or "unmatched", method,
                                   f"{response.status_code // 100}xx").observe(time.perf_counter() - began)
        return response
