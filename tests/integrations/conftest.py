"""Webhook fixtures: an app whose sender may call loopback (the local receiver), jobs run in process; a receiver
(a thread HTTP server on 127.0.0.1) that records what it gets and answers the statuses it is told to."""

from __future__ import annotations

import dataclasses
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from app import create_app
from tests.conftest import clear_tables, make_settings
from tests.orders.driver import SERVICE_FILES
from tests.support.api_driver import bpmn_files
from tests.support.web import WebUser


@dataclasses.dataclass
class Received:
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> dict:
        return json.loads(self.body)


class Receiver:
    """Records every POST; answers the next status of ``answers`` (200 when none is left)."""

    def __init__(self):
        self.got: list[Received] = []
        self.answers: list[tuple[int, dict]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.got.append(Received(dict(self.headers), body))
                status, headers = receiver.answers.pop(0) if receiver.answers else (200, {})
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/crm-events"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


def hook_settings(database_url: str, queue_name: str, **changes):
    """Test settings allowing loopback targets (the receiver), pausing after 3 failures, jobs in process."""
    return dataclasses.replace(make_settings(database_url, queue_name),
                               **{"redis_url": "", "webhook_allow_private": True, "webhook_pause_after": 3, **changes})


@pytest.fixture
def hook_app(database_url, queue_name, workers):
    application = create_app(hook_settings(database_url, queue_name))
    platform = application.extensions["crm"]
    with platform.sessions.begin() as session:
        platform.engine.deploy(session, bpmn_files(SERVICE_FILES), "owner")
    yield application
    clear_tables(platform)
    platform.db.dispose()


@pytest.fixture
def admin(hook_app):
    return WebUser(hook_app.test_client(), "admin").login()


@pytest.fixture
def agent_token(hook_app):
    answer = hook_app.test_client().post("/api/auth/token", json={"username": "agent", "password": "demo"})
    return {"Authorization": f"Bearer {answer.get_json()['token']}"}
