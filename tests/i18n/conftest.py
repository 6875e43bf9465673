"""The demo users live for the whole run: put back what these tests change on their accounts."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from crm.accounts.users import User

KEPT = ("display_name", "phone", "notify_email", "notify_sms", "language", "timezone")


@pytest.fixture(autouse=True)
def restore_users(platform):
    with platform.sessions() as session:
        saved = {u.username: {k: getattr(u, k) for k in KEPT} for u in session.scalars(select(User))}
    yield
    with platform.sessions.begin() as session:
        for user in session.scalars(select(User)):
            for name, value in saved.get(user.username, {}).items():
                setattr(user, name, value)
