"""A logged-in browser-like user over Flask's test client (with CSRF tokens)."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


class WebUser:
    """Drives the app over HTTP as one user; ``post`` adds the CSRF token like a real form."""

    def __init__(self, client: FlaskClient, username: str | None = None):
        self.client = client
        self.username = username
        self._token: str | None = None

    def csrf_token(self) -> str:
        if self._token is None:
            page = self.client.get("/login" if self.username is None else "/worklist/")
            match = _META.search(page.get_data(as_text=True))
            assert match, "page has no csrf-token meta tag"
            self._token = match.group(1)
        return self._token

    def login(self, password: str = "demo"):
        token = _META.search(self.client.get("/login").get_data(as_text=True)).group(1)
        response = self.client.post("/login", data={"username": self.username, "password": password,
                                                    "csrf_token": token})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        self._token = None
        return self

    def get(self, url: str, **kwargs):
        return self.client.get(url, **kwargs)

    def post(self, url: str, data: dict | None = None, **kwargs):
        payload = {"csrf_token": self.csrf_token(), **(data or {})}
        return self.client.post(url, data=payload, **kwargs)

    def api(self, method: str, url: str, json=None):
        headers = {"X-CSRFToken": self.csrf_token()}
        return self.client.open(url, method=method, json=json, headers=headers)
