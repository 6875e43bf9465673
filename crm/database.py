"""Build the SQLAlchemy engine and session factory for a database URL."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import sessionmaker

from engine.models import EngineBase

from .base import CrmBase
from .bounds import install_guard

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
    return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True, **kwargs)


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
    column are refused at flush (:mod:`crm.bounds`)."""
    sessions = sessionmaker(engine, expire_on_commit=False)
    install_guard(sessions)
    return sessions
