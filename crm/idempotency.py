"""Idempotency keys: a retried write answers the first result instead of doing the work twice.

A request carrying a key reserves it (one row per user and key) in the same transaction as its work
and stores its response there before the commit: the key, the work and the answer are saved
together or not at all. The same key with the same request within :data:`KEY_LIFETIME` gets the
stored answer; with a different request it is refused. A second request racing the first waits on
the unique constraint and then finds the first's answer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import String, Text, UniqueConstraint, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from .base import CrmBase, utcnow

KEY_LIFETIME = dt.timedelta(hours=24)
MAX_KEY_LENGTH = 200
IN_PROGRESS = 0


class IdempotencyKey(CrmBase):
    """One user's key, what it was used for (``fingerprint``) and the answer given."""

    __tablename__ = "idempotency_key"
    __table_args__ = (UniqueConstraint("username", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100))
    key: Mapped[str] = mapped_column(String(MAX_KEY_LENGTH))
    fingerprint: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(default=IN_PROGRESS)
    content_type: Mapped[str] = mapped_column(String(100), default="")
    location: Mapped[str | None] = mapped_column(String(2000))
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)


@dataclass(frozen=True)
class StoredAnswer:
    """The response given the first time a key was used."""

    status_code: int
    content_type: str
    location: str | None
    body: str


class KeyReused(Exception):
    """The key was used before for a different request."""


def reserve(session: Session, username: str, key: str, fingerprint: str) -> StoredAnswer | IdempotencyKey:
    """The stored answer for a repeated request, else a new reservation to :func:`answer` before commit.

    Raises :class:`KeyReused` when the key was used for a different request; an expired key is
    forgotten and reserved again. The reservation is flushed at once, so a concurrent request with
    the same key waits here (PostgreSQL) and fails on the unique constraint; that request's
    transaction is then rolled back and it is answered as the one that committed first.
    """
    try:
        return _reserve(session, username, key, fingerprint)
    except IntegrityError:
        session.rollback()
        return _reserve(session, username, key, fingerprint)


def _reserve(session: Session, username: str, key: str, fingerprint: str) -> StoredAnswer | IdempotencyKey:
    row = session.scalar(select(IdempotencyKey).where(IdempotencyKey.username == username,
                                                      IdempotencyKey.key == key))
    if row is not None and row.created_at < utcnow() - KEY_LIFETIME:
        session.delete(row)
        session.flush()
        row = None
    if row is None:
        row = IdempotencyKey(username=username, key=key, fingerprint=fingerprint)
        session.add(row)
        session.flush()
        return row
    if row.fingerprint != fingerprint:
        raise KeyReused("this Idempotency-Key was used for a different request")
    return StoredAnswer(row.status_code, row.content_type, row.location, row.body)


def answer(row: IdempotencyKey, status_code: int, content_type: str, body: str, location: str | None) -> None:
    """Store the response in the reservation (written with the work's commit)."""
    row.status_code, row.content_type, row.body, row.location = status_code, content_type[:100], body, location


def forget_expired_keys(session: Session, now: dt.datetime) -> int:
    """Delete keys older than :data:`KEY_LIFETIME` (a periodic task of the scheduler)."""
    return session.execute(delete(IdempotencyKey).where(IdempotencyKey.created_at < now - KEY_LIFETIME)).rowcount
