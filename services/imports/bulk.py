"""Writing many rows at once: on PostgreSQL with COPY (ids taken from the table's sequence first) and one
``UPDATE … FROM unnest(…)`` per chunk; elsewhere (SQLite) with SQLAlchemy's executemany. Callers pass plain
dicts keyed by column name; every row of a call has the same keys."""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlalchemy import JSON, Table, insert, text, update
from sqlalchemy.orm import Session


def _postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _copy_value(column, value):
    if isinstance(column.type, JSON):
        return None if value is None else json.dumps(value, ensure_ascii=False)
    return value


def insert_many(session: Session, table: Table, rows: Sequence[dict]) -> None:
    """Insert ``rows`` (no ids needed back)."""
    if not rows:
        return
    if not _postgres(session):
        session.execute(insert(table), list(rows))
        return
    names = list(rows[0])
    columns = [table.c[name] for name in names]
    cursor = session.connection().connection.driver_connection.cursor()
    quoted = ", ".join(f'"{name}"' for name in names)
    with cursor.copy(f"COPY {table.name} ({quoted}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([_copy_value(column, row[name]) for column, name in zip(columns, names, strict=True)])


def insert_returning_ids(session: Session, table: Table, rows: Sequence[dict]) -> list[int]:
    """Insert ``rows`` and return their new ids in order."""
    if not rows:
        return []
    if not _postgres(session):
        return list(session.scalars(insert(table).returning(table.c.id, sort_by_parameter_order=True), list(rows)))
    ids = list(session.scalars(text("SELECT nextval(pg_get_serial_sequence(:name, 'id')) FROM generate_series(1, :n)"),
                               {"name": table.name, "n": len(rows)}))
    insert_many(session, table, [{"id": new_id, **row} for new_id, row in zip(ids, rows, strict=True)])
    return ids


PG_ARRAYS = {"Integer": "int[]", "String": "text[]", "Text": "text[]", "JSON": "text[]", "Boolean": "boolean[]"}


def update_by_id(session: Session, model, rows: Sequence[dict]) -> None:
    """Update each row (``id`` plus the columns to set) in one statement on PostgreSQL."""
    if not rows:
        return
    if not _postgres(session):
        session.execute(update(model), list(rows))
        return
    table: Table = model.__table__
    names = [name for name in rows[0] if name != "id"]
    arrays, params = ["unnest(CAST(:id AS int[])) AS id"], {"id": [row["id"] for row in rows]}
    for name in names:
        column = table.c[name]
        kind = PG_ARRAYS["JSON" if isinstance(column.type, JSON) else type(column.type).__name__]
        arrays.append(f'unnest(CAST(:{name} AS {kind})) AS "{name}"')
        params[name] = [_copy_value(column, row[name]) for row in rows]
    sets = ", ".join(f'"{name}" = CAST(v."{name}" AS json)' if isinstance(table.c[name].type, JSON) else
                     f'"{name}" = v."{name}"' for name in names)
    session.execute(text(f"UPDATE {table.name} SET {sets} FROM (SELECT {', '.join(arrays)}) AS v "
                         f"WHERE {table.name}.id = v.id"), params)
