"""Apply Alembic migrations programmatically (CLI, tests, ``make run``)."""

from __future__ import annotations

from functools import lru_cache

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

from config import PROJECT_ROOT


def alembic_config(database_url: str) -> Config:
    cfg = Config(str(PROJECT_ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    cfg.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return cfg


def upgrade(database_url: str, revision: str = "head") -> None:
    """Bring the database at ``database_url`` up to ``revision``."""
    command.upgrade(alembic_config(database_url), revision)


@lru_cache(maxsize=1)
def _scripts() -> ScriptDirectory:
    """The migrations shipped with this code (read once per process)."""
    return ScriptDirectory.from_config(alembic_config(""))


def head_revision() -> str:
    """The newest migration in ``migrations/``."""
    return _scripts().get_current_head() or ""


def knows_revision(revision: str) -> bool:
    """Whether ``revision`` is one of this code's migrations (False: a newer release migrated the database)."""
    try:
        return _scripts().get_revision(revision) is not None
    except Exception:  # alembic raises its own resolution errors for an unknown id
        return False


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at (None when it was never migrated)."""
    return MigrationContext.configure(connection).get_current_revision()
