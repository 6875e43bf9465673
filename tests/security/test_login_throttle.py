"""Login throttling per (username, address) and per address; same work for unknown users (item 10)."""

from __future__ import annotations

import pytest
from sqlalchemy import event, func, select

import crm.accounts.access as access
from crm.accounts.users import LoginAttempt
from tests.security.conftest import PASSWORD
from tests.support.web import WebUser


def client_from(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


class Browser(WebUser):
    """A visitor from one address."""

    def __init__(self, app, address: str):
        super().__init__(client_from(app, address), None)

    def sign_in(self, username: str, password: str) -> int:
        return self.client.post("/login", data={"username": username, "password": password,
                                                "csrf_token": self.csrf_token()}).status_code


@pytest.fixture
def limits(platform):
    return platform.settings.login_attempts_per_15min, platform.settings.login_attempts_per_address_15min


def test_an_attacker_cannot_lock_the_owner_out(app, limits, member):
    attacker = Browser(app, "203.0.113.7")
    for _ in range(limits[0]):
        assert attacker.sign_in(member, "guess-guess-guess") == 401
    assert attacker.sign_in(member, PASSWORD) == 429  # throttled from the attacker's address, right or wrong
    assert Browser(app, "198.51.100.20").sign_in(member, PASSWORD) == 302  # the owner, from a clean address
    token = client_from(app, "198.51.100.20").post(
        "/api/auth/token", json={"username": member, "password": PASSWORD})
    assert token.status_code == 200


def test_a_password_spray_from_one_address_is_slowed(app, limits):
    sprayer = Browser(app, "203.0.113.8")
    for n in range(limits[1]):
        assert sprayer.sign_in(f"user{n}", "Summer2026!") == 401
    assert sprayer.sign_in("sales", "Summer2026!") == 429
    assert sprayer.sign_in("sales", "demo") == 429
    answer = client_from(app, "203.0.113.8").post(
        "/api/auth/token", json={"username": "sales", "password": "demo"})
    assert answer.status_code == 429 and "your address" in answer.get_json()["error"]
    assert Browser(app, "198.51.100.21").sign_in("sales", "demo") == 302


def test_a_success_forgets_the_failures_of_that_username_and_address(app, limits, member):
    browser = Browser(app, "198.51.100.22")
    for _ in range(limits[0] - 1):
        assert browser.sign_in(member, "typo-typo-typo") == 401
    assert browser.sign_in(member, PASSWORD) == 302
    assert Browser(app, "198.51.100.22").sign_in(member, "typo-typo-typo") == 401  # counting starts again


def test_unknown_and_known_users_cost_the_same_password_hash(app, monkeypatch, member):
    checked = []
    real = access._hasher

    class Spy:
        def hash(self, password):
            return real.hash(password)

        def verify(self, stored, password):
            checked.append(stored)
            return real.verify(stored, password)

    monkeypatch.setattr(access, "_hasher", Spy())
    browser = Browser(app, "198.51.100.23")
    assert browser.sign_in("nobody-by-that-name", "whatever-password") == 401
    assert browser.sign_in(member, "whatever-password") == 401
    assert len(checked) == 2 and all(stored.startswith("$argon2id$") for stored in checked)


def test_the_decoy_hash_of_unknown_users_is_made_once_per_process(app, monkeypatch):
    """An unknown username costs one verify against a decoy, like a known one; the decoy itself is hashed once per
    process, not per attempt (hashing it each time would make a miss cost twice a real check)."""
    hashed, verified = [], []
    real = access._hasher

    class Spy:
        def hash(self, password):
            hashed.append(password)
            return real.hash(password)

        def verify(self, stored, password):
            verified.append(stored)
            return real.verify(stored, password)

    monkeypatch.setattr(access, "_hasher", Spy())
    access._dummy_hash.cache_clear()
    browser = Browser(app, "198.51.100.25")
    for n in range(3):
        assert browser.sign_in(f"nobody-{n}", "whatever-password") == 401
    assert len(hashed) == 1 and len(verified) == 3 and len(set(verified)) == 1


def test_a_sign_in_costs_three_statements(app, platform, member):
    """Both throttle counts in one statement, the user and their roles; no delete without recent failures."""
    seen: list[str] = []

    def note(conn, cursor, statement, *_):
        if not statement.startswith("BEGIN"):  # SQLite's explicit transaction start is not a query
            seen.append(" ".join(statement.split()))

    browser = Browser(app, "198.51.100.26")
    csrf = browser.csrf_token()
    event.listen(platform.db, "before_cursor_execute", note)
    try:
        answer = browser.client.post("/login", data={"username": member, "password": PASSWORD, "csrf_token": csrf})
        token = client_from(app, "198.51.100.26").post("/api/auth/token",
                                                       json={"username": member, "password": PASSWORD})
    finally:
        event.remove(platform.db, "before_cursor_execute", note)
    assert (answer.status_code, token.status_code) == (302, 200)
    assert len(seen) == 6, "\n".join(seen)
    assert not any(s.startswith("DELETE") for s in seen)


def test_usernames_are_bounded(app, platform):
    browser = Browser(app, "198.51.100.24")
    response = browser.client.post("/login", data={"username": "x" * 10_000, "password": "p",
                                                   "csrf_token": browser.csrf_token()})
    assert response.status_code == 401 and "x" * 101 not in response.get_data(as_text=True)
    api = app.test_client().post("/api/auth/token", json={"username": "y" * 10_000, "password": "p"})
    assert api.status_code == 401
    with platform.sessions() as session:
        assert session.scalar(select(func.max(func.length(LoginAttempt.username)))) <= 100
        assert set(session.scalars(select(LoginAttempt.address))) >= {"198.51.100.24"}
