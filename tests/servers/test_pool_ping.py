"""Pooled PostgreSQL connections are pinged only after sitting idle (issue 18 item 2): a transaction in steady use
pays no ``SELECT 1`` round trip, and a connection the server dropped while it sat idle is replaced unnoticed."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from crm import database


@pytest.fixture
def pool(database_url, monkeypatch):
    monkeypatch.setattr(database, "PING_AFTER_IDLE_SECONDS", 0.5)
    engine = database.make_engine(database_url, pool_size=1, max_overflow=0)
    yield engine
    engine.dispose()


def _backend(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(text("SELECT pg_backend_pid()")).scalar_one()


def _terminate(database_url: str, pid: int) -> None:
    other = database.make_engine(database_url)
    with other.connect() as connection:
        assert connection.execute(text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": pid}).scalar_one()
    other.dispose()


def test_a_connection_dropped_while_idle_is_replaced_without_an_error(pool, database_url):
    first = _backend(pool)
    _terminate(database_url, first)
    time.sleep(database.PING_AFTER_IDLE_SECONDS + 0.2)
    assert _backend(pool) != first


def test_a_connection_in_steady_use_is_not_pinged(pool, database_url):
    """Without a ping, a connection killed a moment after use fails its next statement once; the pool then
    connects afresh."""
    first = _backend(pool)
    _terminate(database_url, first)
    with pytest.raises(OperationalError), pool.connect() as connection:
        connection.execute(text("SELECT 1"))
    assert _backend(pool) != first
