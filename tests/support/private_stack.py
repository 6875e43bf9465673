"""An app with its own redis-server and rq worker processes, for tests that break Redis, workers or the database."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask

from app import create_app
from tests.conftest import ROOT, TEST_HANDLERS, TEST_SECRET_KEY, clear_tables, make_settings
from tests.support.redis_server import RedisServer


@dataclasses.dataclass
class PrivateStack:
    """The app, its private Redis and the workers started for it (killed when the stack closes)."""

    app: Flask
    redis_server: RedisServer
    database_url: str
    worker_env: dict[str, str]
    processes: list[subprocess.Popen] = dataclasses.field(default_factory=list)

    def start_worker(self, database_url: str | None = None) -> subprocess.Popen:
        """Start ``flask engine worker`` on the stack's Redis (and ``database_url``, e.g. through a proxy)."""
        settings = self.app.extensions["crm"].settings
        env = {**os.environ, "DATABASE_URL": database_url or self.database_url, "REDIS_URL": self.redis_server.url,
               "CRM_QUEUE": settings.queue_name, "CRM_HANDLER_MODULES": TEST_HANDLERS,
               "SECRET_KEY": TEST_SECRET_KEY, **self.worker_env}
        process = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "engine", "worker"], cwd=ROOT,
                                   env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.processes.append(process)
        return process


@contextmanager
def private_stack(database_url: str, queue_name: str, worker_env: dict[str, str] | None = None,
                  **settings_changes) -> Iterator[PrivateStack]:
    """A :class:`PrivateStack` on the test database; its tables are cleared when it closes."""
    redis_server = RedisServer()
    redis_server.start()
    settings = dataclasses.replace(make_settings(database_url, queue_name), redis_url=redis_server.url,
                                   **settings_changes)
    stack = PrivateStack(create_app(settings), redis_server, database_url, worker_env or {})
    try:
        yield stack
    finally:
        for process in stack.processes:
            process.kill()
            process.wait(timeout=10)
        redis_server.stop()
        platform = stack.app.extensions["crm"]
        clear_tables(platform)
        platform.db.dispose()
