"""One database session per request; views commit through :func:`commit` so jobs follow the commit."""

from __future__ import annotations

from flask import current_app, g
from sqlalchemy.orm import Session


def platform():
    """The :class:`app.Platform` of the running application."""
    return current_app.extensions["crm"]


def session() -> Session:
    """This request's session, opened on first use."""
    if "db" not in g:
        g.db = platform().sessions()
    return g.db


def commit() -> None:
    """Commit the request's unit of work, then dispatch the jobs it wrote (outbox).

    In a view marked :func:`web.idempotency.idempotent` this only flushes: the commit follows once
    the response is built (and stored with the work, when the request carries a key).
    """
    db = session()
    if g.get("hold_commit"):
        db.flush()
        g.commit_held = True
        return
    db.commit()
    platform().relay.after_commit(db)


def close_session(_exc=None) -> None:
    db = g.pop("db", None)
    if db is not None:
        db.close()
