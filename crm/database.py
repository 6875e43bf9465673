"""Build the SQLAlchemy engine and session factory for a database URL."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import sessionmaker

from engine.models import EngineBase

from .base import CrmBase
from .bounds import install_guard
from .change_tracking import install_change_tracking

ALL_METADATA = (EngineBase.metadata, CrmBase.metadata)


def make_engine(url: str, **kwargs) -> Engine:
    """An engine for ``url``; SQLite gets WAL, a busy timeout and working SAVEPOINTs."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False}, **kwargs)
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    engine = create_engine(url, **{"pool_size": 10, "max_overflow": 20, **kwargs})
    event.listen(engine, "connect", _note_idle)
    event.listen(engine, "checkin", _note_idle)
    event.listen(engine, "checkout", _ping_if_idle)
    return engine


PING_AFTER_IDLE_SECONDS = 10.0
"""A pooled PostgreSQL connection that sat unused longer than this is pinged before it is handed out, and replaced
if the server dropped it (a restart, an idle timeout). One back in the pool within this time is not: under load
every transaction would otherwise pay a ``SELECT 1`` round trip (SQLAlchemy's ``pool_pre_ping``). If the server
goes away in between, the requests holding its connections fail once and the pool is rebuilt."""


def _note_idle(_dbapi_connection, record) -> None:
    record.info["idle_since"] = time.monotonic()


def _ping_if_idle(dbapi_connection, record, _proxy) -> None:
    """Pool checkout: ping a connection idle for long; a dead one makes the pool connect afresh."""
    if time.monotonic() - record.info.get("idle_since", 0.0) < PING_AFTER_IDLE_SECONDS:
        return
    try:
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:
        raise DisconnectionError(f"pooled connection is gone: {exc}") from exc


READ_ONLY = {"crm_read_only": True}
"""Execution options of a connection that only reads: on SQLite its transaction takes no write lock."""


def _sqlite_begin(conn) -> None:
    """Writers take SQLite's write lock up front (no failed lock upgrades); readers never wait for it (WAL)."""
    conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get("crm_read_only") else "BEGIN IMMEDIATE")


def _sqlite_connect(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None  # let SQLAlchemy emit BEGIN, so SAVEPOINT works
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_sessions(engine: Engine) -> sessionmaker:
    """Session factory; objects stay usable after commit (views render them); values that do not fit their
    column are refused at flush (:mod:`crm.bounds`); changes bump versions and change times
    (:mod:`crm.change_tracking`)."""
    sessions = sessionmaker(engine, expire_on_commit=False)
    install_change_tracking(sessions)
    install_guard(sessions)
    return sessions
