"""Writing an engine step's rows in as few round trips, and as little Python, as possible.

One completed task touches three tables: its instance (state, status, lock version), the task rows
(done, cancelled, new) and the history. Through the ORM's unit of work that is a statement and a round
trip each, plus the ORM's bookkeeping. Here a step is described as data (:class:`NewRows`,
:class:`SetValues`); each shape of step is turned into Core statements once per process (building a
statement costs more than running it), and on PostgreSQL the earlier writes ride along as
data-modifying CTEs of the last (``WITH w0 AS (INSERT …) UPDATE process_instance …``): one round
trip for the whole step. New rows travel there as one JSON parameter (``json_to_recordset``), so the
statement does not depend on how many rows there are. The ORM objects the callers hold are then told
the new values as committed, so the session does not write them again. Small reads that would otherwise be
statements of their own may ride along as ``RETURNING`` columns of the last write (:mod:`engine.riders`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Executable,
    Table,
    Text,
    and_,
    bindparam,
    cast,
    column,
    func,
    insert,
    select,
    update,
)
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


@dataclass(frozen=True)
class Written:
    """What :func:`write_together` did: the row count of its last write and the columns that rode along."""

    count: int
    answers: dict[str, Any]


_statements: dict[tuple, Executable] = {}
"""Built statements by step shape and dialect: immutable, so one process may reuse them freely."""


def write_together(session: Session, writes: Sequence[Write], last: SetValues,
                   answers: Sequence[ColumnElement] = (), params: Mapping[str, Any] | None = None) -> Written:
    """Run ``writes`` then ``last``; returns the row count of ``last`` (e.g. an optimistic-lock check).

    ``answers``: labelled columns (reads of their own, e.g. scalar subqueries) returned by ``last``, bound with
    ``params``; they are None when ``last`` matched no row. Writes given together must touch different rows: on
    PostgreSQL they run as one statement, where none sees another's changes, and where they have run even if
    ``last`` matched nothing, so a caller seeing 0 must not commit (the engine raises
    :class:`~engine.errors.Conflict`).
    """
    answers = tuple(answers)
    names = tuple(answer.key for answer in answers)
    combined = bool(writes) and session.get_bind().dialect.name == "postgresql"
    steps = [*writes, last] if combined else [last]
    key = ("postgresql" if combined else "any", *(write.shape() for write in steps), names)
    statement = _statements.get(key)
    if statement is None:
        statement = _statement(last, "last")
        if combined:
            statement = statement.add_cte(*(_statement(write, f"w{i}", json_rows=True).cte(f"w{i}")
                                            for i, write in enumerate(writes)))
        if answers:
            statement = statement.returning(*answers)
        _statements[key] = statement
    values: dict[str, Any] = dict(params or {})
    if combined:
        for i, write in enumerate(writes):
            values.update(_params(write, f"w{i}", json_rows=True))
    else:
        for write in writes:
            write_one(session, write)
    values.update(_params(last, "last"))
    result = session.execute(statement, values)
    if not answers:
        return Written(result.rowcount, {})
    rows = result.all()  # with RETURNING, SQLite's rowcount is only known once the rows are read
    return Written(len(rows), dict(rows[0]._mapping) if rows else dict.fromkeys(names))


def insert_together(session: Session, head: NewRows, writes: Sequence[NewRows], refer: str,
                    answers: Sequence[ColumnElement] = (), params: Mapping[str, Any] | None = None) -> Written:
    """PostgreSQL: insert ``head`` (one row of a table with an ``id`` key) and ``writes`` in one statement, the
    ``refer`` column of the rows of ``writes`` set to the new row's id (e.g. a new instance's task and history rows).

    Returns count 1 and ``answers`` (bound with ``params``) plus ``id``, the new row's id.
    """
    answers = tuple(answers)
    key = ("head", head.shape(), refer, *(write.shape() for write in writes), tuple(a.key for a in answers))
    statement = _statements.get(key)
    if statement is None:
        table = head.table
        new = insert(table).values({c: bindparam(f"h_{c}", type_=table.c[c].type) for c in head.rows[0]}) \
            .returning(table.c.id).cte("h")
        new_id = select(new.c.id).scalar_subquery()
        ctes = [_statement(write, f"w{i}", json_rows=True, refer={refer: new_id}).cte(f"w{i}")
                for i, write in enumerate(writes)]
        statement = _statements[key] = select(new.c.id.label("id"), *answers).add_cte(new, *ctes)
    values: dict[str, Any] = {f"h_{c}": value for c, value in head.rows[0].items()}
    values.update(params or {})
    for i, write in enumerate(writes):
        values.update(_params(write, f"w{i}", json_rows=True))
    row = session.execute(statement, values).one()
    return Written(1, dict(row._mapping))


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


def _statement(write: Write, name: str, json_rows: bool = False, refer: Mapping[str, ColumnElement] | None = None):
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
    refer = refer or {}
    columns = [table.c[key] for key in write.rows[0]]
    records = func.json_to_recordset(cast(bindparam(f"{name}_rows", type_=Text), JSON)).table_valued(
        *(column(c.key, c.type) for c in columns if c.key not in refer)).render_derived(name=f"{name}_r",
                                                                                        with_types=True)
    picked = [refer[c.key].label(c.key) if c.key in refer else records.c[c.key] for c in columns]
    return insert(table).from_select([c.key for c in columns], select(*picked))


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
