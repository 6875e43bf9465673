"""Human-readable record numbers (``C2026-00042``) derived from the row id: unique without a counter."""

from __future__ import annotations

from sqlalchemy.orm import Session

from i18n import zones


def assign_number(session: Session, record, prefix: str) -> str:
    """Flush ``record`` for its id, then set ``record.number`` to ``<prefix><year>-<id:05d>``."""
    session.add(record)
    session.flush()
    record.number = f"{prefix}{zones.site_today().year}-{record.id:05d}"
    return record.number
