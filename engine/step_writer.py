"""Writing an engine step's rows in as few round trips, and as little Python, as possible.

One completed task touches three tables: its instance (state, status, lock version), the task rows
(done, cancelled, new) and the history. Through the ORM's unit of work that is a statement and a round
trip each, plus the ORM's bookkeeping. Here a step is described as data (:class:`NewRows`,
:class:`SetValues`); each shape of step is turned into Core statements once per process (building a
statement costs more than running it), and on PostgreSQL the earlier writes ride along as
data-modifying CTEs of the last (``WITH w0 AS (INSERT …) UPDATE process_instance …``): one round
trip for the whole step. New rows travel there as one JSON parameter (``json_to_recordset``), so the
statement does not depend on how many rows there are. The ORM objects the callers hold are then told
the new values as committed, so the session does not write them again.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Executable, Table, Text, and_, bindparam, cast, column, func, insert, select, update
from sqlalchemy.dialects.postgresql import JSON
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value


@dataclass(frozen=True)
class NewRows:
    """Rows to insert into ``table``; every row has the same keys."""

    table: Table
    rows: list[dict[str, Any]]

    def shape(self) -> tuple:
        return ("insert", self.table.name, tuple(self.rows[0]))


@dataclass(frozen=True)
class SetValues:
    """``UPDATE table SET values WHERE column = value …``; a list or tuple value means ``IN``."""

    table: Table
    values: dict[str, Any]
    where: dict[str, Any]

    def shape(self) -> tuple:
        return ("update", self.table.name, tuple(self.values),
                tuple((key, isinstance(value, (list, tuple))) for key, value in self.where.items()))


Write = NewRows | SetValues
_statements: dict[tuple, Executable] = {}
"""Built statements by step shape and dialect: immutable, so one process may reuse them freely."""


def write_together(session: Session, writes: Sequence[Write], last: SetValues) -> int:
    """Run ``writes`` then ``last``; returns the row count of ``last`` (e.g. an optimistic-lock check).

    Writes given together must touch different rows: on PostgreSQL they run as one statement, where
    none sees another's changes, and where they have run even if ``last`` matched nothing, so a caller
    seeing 0 must not commit (the engine raises :class:`~engine.errors.Conflict`).
    """
    if writes and session.get_bind().dialect.name == "postgresql":
        steps = [*writes, last]
        key = ("postgresql", *(write.shape() for write in steps))
        statement = _statements.get(key)
        if statement is None:
            ctes = [_statement(write, f"w{i}", json_rows=True).cte(f"w{i}") for i, write in enumerate(writes)]
            statement = _statements[key] = _statement(last, "last").add_cte(*ctes)
        params: dict[str, Any] = {}
        for i, write in enumerate(writes):
            params.update(_params(write, f"w{i}", json_rows=True))
        params.update(_params(last, "last"))
        return session.execute(statement, params).rowcount
    for write in writes:
        write_one(session, write)
    return write_one(session, last)


def mark_written(obj: Any, values: Mapping[str, Any]) -> None:
    """Tell an ORM object that ``values`` are what its row now holds (no write of its own follows)."""
    for key, value in values.items():
        set_committed_value(obj, key, value)


def attach_written(session: Session, obj: Any) -> None:
    """Put a new object whose row was inserted by hand into the session as a loaded, clean object."""
    make_transient_to_detached(obj)
    session.add(obj)


def write_one(session: Session, write: Write) -> int:
    """Run one write on its own (any database); returns its row count."""
    key = ("any", write.shape())
    statement = _statements.get(key)
    if statement is None:
        statement = _statements[key] = _statement(write, "p", json_rows=False)
    if isinstance(write, NewRows):
        return session.execute(statement, write.rows).rowcount
    return session.execute(statement, _params(write, "p")).rowcount


def _statement(write: Write, name: str, json_rows: bool = False):
    table = write.table
    if isinstance(write, SetValues):
        conditions = [
            table.c[key].in_(bindparam(f"{name}_k_{key}", expanding=True)) if many
            else table.c[key] == bindparam(f"{name}_k_{key}")
            for key, many in write.shape()[3]
        ]
        return update(table).where(and_(*conditions)).values(
            {key: bindparam(f"{name}_v_{key}", type_=table.c[key].type) for key in write.values})
    if not json_rows:
        return insert(table)
    columns = [table.c[key] for key in write.rows[0]]
    records = func.json_to_recordset(cast(bindparam(f"{name}_rows", type_=Text), JSON)).table_valued(
        *(column(c.key, c.type) for c in columns)).render_derived(name=f"{name}_r", with_types=True)
    return insert(table).from_select([c.key for c in columns], select(*records.c))


def _params(write: Write, name: str, json_rows: bool = False) -> dict[str, Any]:
    if isinstance(write, NewRows):
        return {f"{name}_rows": json.dumps(write.rows, default=_json_value)} if json_rows else {}
    params = {f"{name}_v_{key}": value for key, value in write.values.items()}
    params.update({f"{name}_k_{key}": list(value) if isinstance(value, tuple) else value
                   for key, value in write.where.items()})
    return params


def _json_value(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not a column value here")
