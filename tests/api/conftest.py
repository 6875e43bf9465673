"""Records API fixtures: a bearer-token client per demo user."""

from __future__ import annotations

import pytest


class ApiUser:
    """Calls the JSON API as one user with a bearer token."""

    def __init__(self, client, token: str):
        self.client, self.headers = client, {"Authorization": f"Bearer {token}"}

    def get(self, url: str, **kwargs):
        return self.client.get(url, headers={**self.headers, **kwargs.pop("headers", {})}, **kwargs)

    def post(self, url: str, json=None, **kwargs):
        return self.client.post(url, json=json, headers={**self.headers, **kwargs.pop("headers", {})}, **kwargs)

    def patch(self, url: str, json=None, **kwargs):
        return self.client.patch(url, json=json, headers={**self.headers, **kwargs.pop("headers", {})}, **kwargs)


@pytest.fixture
def api(app):
    """``api("sales")`` -> an :class:`ApiUser` signed in by a token from POST /api/auth/token."""
    def make(username: str, password: str = "demo") -> ApiUser:
        client = app.test_client()
        answer = client.post("/api/auth/token", json={"username": username, "password": password})
        assert answer.status_code == 200, answer.get_json()
        return ApiUser(client, answer.get_json()["token"])

    return make
