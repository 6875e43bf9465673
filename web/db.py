"""One database session per request; views commit through :func:`commit` so jobs follow the commit."""

from __future__ import annotations

from flask import current_app, g, has_request_context, request
from sqlalchemy.orm import Session

from crm.database import READ_ONLY

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def platform():
    """The :class:`app.Platform` of the running application."""
    return current_app.extensions["crm"]


def session() -> Session:
    """This request's session, opened on first use.

    A GET only reads: on SQLite its transaction then takes no write lock, so pages keep answering while
    another request holds it (e.g. an engine step whose script runs up to its time limit).
    """
    if "db" not in g:
        g.db = platform().sessions()
        if has_request_context() and request.method in SAFE_METHODS:
            g.db.connection(execution_options=READ_ONLY)
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
