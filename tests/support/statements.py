"""Counting the SQL statements a request sends (statement counts are deterministic; timings are not)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from sqlalchemy import event


@contextlib.contextmanager
def statements(platform, *, without_begin: bool = False) -> Iterator[list[str]]:
    """Every statement sent inside the block, whitespace collapsed, in order; ``without_begin`` leaves out SQLite's
    explicit transaction starts (``BEGIN``)."""
    seen: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany):
        if not (without_begin and statement.startswith("BEGIN")):
            seen.append(" ".join(statement.split()))

    event.listen(platform.db, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(platform.db, "before_cursor_execute", note)


def reading(seen: list[str], table: str) -> list[str]:
    """The statements that read ``table`` (in a FROM or a JOIN, subqueries included)."""
    return [s for s in seen if s.startswith(("SELECT", "WITH")) and
            (f" FROM {table} " in f"{s} " or f" JOIN {table} " in f"{s} ")]
