"""Fixtures: one backend per pytest run (CRM_TEST_BACKEND=sqlite | servers), an app per test.

``servers`` uses TEST_DATABASE_URL (PostgreSQL) and TEST_REDIS_URL with real rq worker processes.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

import config
from app import create_app
from crm.accounts.users import User
from crm.database import ALL_METADATA, make_engine
from demo.users import create_demo_users
from engine.runtime import Actor
from i18n.catalogs import compile_all
from services.schema import upgrade
from tests.support.jobs import settle
from tests.support.web import WebUser

ROOT = Path(__file__).resolve().parent.parent
BACKEND = os.environ.get("CRM_TEST_BACKEND", "sqlite")
os.environ.setdefault("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/crm_test")
os.environ.setdefault("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
TEST_HANDLERS = "tests.support.handlers"
TEST_SECRET_KEY = "test-secret-key-of-the-test-suite-only-0123456789"
KEPT_TABLES = {"role", "app_user", "user_role", "team"}

def pytest_sessionstart(session) -> None:
    """Tests read the compiled catalogs: compile the ones edited since (``make catalogs`` does the same)."""
    compile_all()


def servers_mode() -> bool:
    return BACKEND == "servers"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    if servers_mode():
        url = os.environ["TEST_DATABASE_URL"]
        engine = make_engine(url)
        with engine.begin() as conn:  # a clean schema for every run
            conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        engine.dispose()
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        create_demo_users(session)
        session.commit()
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def queue_name() -> str:
    return f"crm-test-{uuid.uuid4().hex[:8]}"


def make_settings(database_url: str, queue_name: str) -> config.Settings:
    return config.Settings(
        database_url=database_url,
        redis_url=os.environ["TEST_REDIS_URL"] if servers_mode() else "",
        queue_name=queue_name,
        secret_key=TEST_SECRET_KEY,
        testing=True,
        locale="en",
        timezone="UTC",
        handler_modules=(TEST_HANDLERS,),
        job_stale_seconds=10,
        job_requeue_seconds=5,
        upload_dir=Path(tempfile.mkdtemp(prefix="crm-test-uploads-")),
        periodic_reports=False,  # tests/reporting/test_periodic_reports.py runs the scheduler at chosen times
        quality_checks=False,  # tests/quality run the data-quality schedule themselves
    )


@pytest.fixture(scope="session")
def workers(database_url, queue_name):
    """Two rq worker processes for the servers backend (none for SQLite)."""
    if not servers_mode():
        yield []
        return
    processes = [start_worker(database_url, queue_name) for _ in range(2)]
    yield processes
    stop_workers(processes)


def stop_workers(processes: list[subprocess.Popen]) -> None:
    """Ask for a warm shutdown; kill what is still there after 10 s (rq may wait on its pub/sub thread)."""
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def start_worker(database_url: str, queue_name: str) -> subprocess.Popen:
    """Start ``flask engine worker`` as a separate process against the test servers."""
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": os.environ["TEST_REDIS_URL"],
           "CRM_QUEUE": queue_name, "CRM_HANDLER_MODULES": TEST_HANDLERS, "SECRET_KEY": TEST_SECRET_KEY,
           "CRM_LOCALE": "en", "CRM_TIMEZONE": "UTC"}  # as make_settings: jobs write what the tests expect
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "engine", "worker"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@pytest.fixture
def app(database_url, queue_name, workers):
    application = create_app(make_settings(database_url, queue_name))
    platform = application.extensions["crm"]
    yield application
    clear_tables(platform)
    if servers_mode():
        platform.dispatcher.queue.empty()
    platform.db.dispose()


def clear_tables(platform) -> None:
    """Empty every table but users and roles (created once per run); users' language and time zone back to
    the site's."""
    with platform.sessions.begin() as session:
        for metadata in ALL_METADATA:
            for table in reversed(metadata.sorted_tables):
                if table.name not in KEPT_TABLES:
                    session.execute(delete(table))
        session.execute(update(User).values(language="", timezone=""))


@pytest.fixture
def platform(app):
    return app.extensions["crm"]


@pytest.fixture
def user_timezone(platform):
    """``user_timezone("sales", "Asia/Shanghai")``: that user's own time zone (the account page's choice)."""
    def use(username: str, name: str) -> None:
        with platform.sessions.begin() as session:
            session.execute(update(User).where(User.username == username).values(timezone=name))

    return use


USER_PROFILE = ("display_name", "phone", "notify_email", "notify_sms", "password_hash", "language", "timezone")


@pytest.fixture
def restore_users(platform):
    """The demo users live for the whole run: put back what a test changes on their accounts."""
    with platform.sessions() as session:
        saved = {u.username: {k: getattr(u, k) for k in USER_PROFILE} for u in session.scalars(select(User))}
    yield
    with platform.sessions.begin() as session:
        for user in session.scalars(select(User)):
            for name, value in saved.get(user.username, {}).items():
                setattr(user, name, value)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def login(app):
    """``login("sales")`` -> a :class:`WebUser` with its own cookie jar."""
    def make(username: str) -> WebUser:
        return WebUser(app.test_client(), username).login()

    return make


@pytest.fixture
def settle_jobs(platform):
    """Call to wait until every due job has run (in process or in the rq workers)."""
    return lambda **kwargs: settle(platform, **kwargs)


@pytest.fixture
def actors(platform):
    """Engine actors for the demo users."""


    with platform.sessions() as session:
        return {u.username: Actor(u.username, u.role_keys) for u in session.scalars(select(User))}


@pytest.fixture
def tmp_uploads(platform, tmp_path):
    """Store form attachments under the test's temporary directory instead of instance/uploads."""
    platform.settings = dataclasses.replace(platform.settings, upload_dir=tmp_path / "uploads")
    return platform.settings.upload_dir
