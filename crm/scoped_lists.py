"""Owned records as a list page shows them: newest first, within the viewer's data scope, of one status or all."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

Row = TypeVar("Row")


def newest_in_scope(session: Session, model: type[Row], owner_ids: set[int] | None, status: str = "") -> list[Row]:
    """Rows of ``model`` (which has ``owner_id`` and ``status``) newest first.

    Only those owned by ``owner_ids`` unless None (everyone's); only those in ``status`` unless empty.
    """
    query = select(model).order_by(model.id.desc())
    if owner_ids is not None:
        query = query.where(model.owner_id.in_(owner_ids))
    if status:
        query = query.where(model.status == status)
    return list(session.scalars(query))
