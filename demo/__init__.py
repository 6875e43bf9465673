"""Demo data for ``make run``: users, every process in bpmn/, then each domain's sample records."""

from __future__ import annotations

import importlib
from collections.abc import Iterator

from demo.users import DEMO_PASSWORD, DEMO_USERS, create_demo_users
from i18n import force_locale

DEMO_LOADERS: tuple[str, ...] = ("demo.sales", "demo.orders", "demo.history")
"""Modules with ``load(platform, session, users) -> str`` adding sample records (run in order)."""


def load_demo(platform, language: str | None = None) -> Iterator[str]:
    """Create everything (idempotent for users and processes) with names and texts in ``language`` (default:
    the site's); yields progress lines."""
    language = language or platform.settings.locale or "en"
    with force_locale(language):
        yield from _load(platform, language)


def _load(platform, language: str) -> Iterator[str]:
    with platform.sessions.begin() as session:
        users = create_demo_users(session, language)
    yield f"{len(users)} demo users (password {DEMO_PASSWORD!r}): {', '.join(DEMO_USERS)}"
    files = {p.name: p.read_bytes() for p in sorted(platform.settings.bpmn_dir.iterdir())
             if p.suffix in (".bpmn", ".dmn")}
    if files:
        with platform.sessions.begin() as session:
            results = platform.engine.deploy(session, files, "owner", "demo deployment")
        yield f"{len(results)} processes deployed"
    for name in DEMO_LOADERS:
        with platform.sessions() as session:
            users = {u.username: u for u in create_demo_users(session, language).values()}
            message = importlib.import_module(name).load(platform, session, users)
            session.commit()
            platform.relay.after_commit(session)
        yield message
