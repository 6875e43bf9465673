"""A user of its own per test (demo users are kept between tests; these are removed afterwards)."""

from __future__ import annotations

import uuid

import pytest

from crm.accounts.access import create_user
from crm.accounts.users import LoginAttempt, User

PASSWORD = "plum-kettle-orbit-42"


@pytest.fixture
def member(platform):
    """A fresh salesperson (password :data:`PASSWORD`); returns the username."""
    username = f"m{uuid.uuid4().hex[:10]}"
    with platform.sessions.begin() as session:
        create_user(session, username, PASSWORD, "Member", ["salesperson"])
    yield username
    with platform.sessions.begin() as session:
        user = session.query(User).filter_by(username=username).one_or_none()
        if user is not None:
            session.delete(user)
        session.query(LoginAttempt).filter_by(username=username).delete()
