"""Security headers on every response, Secure cookies over HTTPS, a trusted proxy hop count (item 11)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from sqlalchemy import select

import config
from app import create_app
from crm.accounts.users import LoginAttempt
from tests.conftest import clear_tables, make_settings
from tests.support.web import _META as CSRF_META

TEMPLATES = Path(__file__).resolve().parents[2] / "web" / "templates"


def directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {d.strip().split(" ", 1)[0]: d.strip() for d in policy.split(";")}


def assert_protected(response) -> None:
    csp = directives(response)
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    assert csp["frame-ancestors"] == "frame-ancestors 'none'" and csp["object-src"] == "object-src 'none'"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_every_kind_of_response_carries_the_headers(client, login):
    sales = login("sales")
    responses = [client.get("/login"), client.get("/worklist/"), client.get("/api/tasks"),
                 client.get("/no-such-page"), client.get("/static/js/app.js"), sales.get("/worklist/"),
                 sales.get("/api/tasks"), sales.get("/reports/"), sales.post("/logout")]
    for response in responses:
        assert_protected(response)
        response.close()


def test_templates_have_no_inline_script():
    """The policy allows no inline script: behaviour hangs on data- attributes read by static/js."""
    inline = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        for match in re.finditer(r"<script\b([^>]*)>", text):
            if "src=" not in match.group(1) and 'type="application/json"' not in match.group(1):
                inline.append(f"{path.name}: {match.group(0)}")
        inline += [f"{path.name}: {m}" for m in re.findall(r"\son[a-z]+\s*=\s*[\"']", text)]
        inline += [f"{path.name}: javascript: URL" for _ in re.findall(r"javascript:", text)]
    assert inline == []


def signed_in_response(app, **kwargs):
    """The answer to a successful login, both requests sent with ``kwargs`` (base_url, headers)."""
    client = app.test_client()
    token = CSRF_META.search(client.get("/login", **kwargs).get_data(as_text=True)).group(1)
    return client.post("/login", data={"username": "sales", "password": "demo", "csrf_token": token}, **kwargs)


def test_the_session_cookie_is_secure_over_https_only(app):
    over_https = signed_in_response(app, base_url="https://crm.example",
                                    headers={"Referer": "https://crm.example/login"})
    assert "Secure" in over_https.headers["Set-Cookie"]
    assert over_https.headers["Strict-Transport-Security"].startswith("max-age=")
    over_http = signed_in_response(app)
    assert "Secure" not in over_http.headers["Set-Cookie"]
    assert "Strict-Transport-Security" not in over_http.headers


def test_forwarded_headers_are_ignored_without_trusted_proxies(app, platform):
    forwarded = {"X-Forwarded-For": "203.0.113.50", "X-Forwarded-Proto": "https"}
    response = app.test_client().post("/api/auth/token", json={"username": "sales", "password": "nope"},
                                      headers=forwarded)
    assert response.status_code == 401
    with platform.sessions() as session:
        assert list(session.scalars(select(LoginAttempt.address))) == ["127.0.0.1"]
    assert "Secure" not in signed_in_response(app, headers=forwarded).headers["Set-Cookie"]


@pytest.fixture
def proxied_app(database_url, queue_name):
    application = create_app(dataclasses.replace(make_settings(database_url, queue_name), proxy_hops=1))
    yield application
    clear_tables(application.extensions["crm"])
    application.extensions["crm"].db.dispose()


def test_behind_one_trusted_proxy_its_headers_give_address_and_https(proxied_app):
    forwarded = {"X-Forwarded-For": "198.51.100.1, 203.0.113.60", "X-Forwarded-Proto": "https",
                 "Referer": "https://localhost/login"}
    proxied_app.test_client().post("/api/auth/token", json={"username": "sales", "password": "nope"},
                                   headers=forwarded)
    with proxied_app.extensions["crm"].sessions() as session:
        assert list(session.scalars(select(LoginAttempt.address))) == ["203.0.113.60"]  # the proxy's own hop
    assert "Secure" in signed_in_response(proxied_app, headers=forwarded).headers["Set-Cookie"]


@pytest.mark.parametrize("raw, hops", [("", 0), ("0", 0), ("2", 2)])
def test_the_hop_count_comes_from_the_environment(raw, hops):
    assert config.from_environment({"CRM_PROXY_HOPS": raw}).proxy_hops == hops


@pytest.mark.parametrize("raw", ["-1", "one", "11"])
def test_a_bad_hop_count_stops_the_start(raw):
    with pytest.raises(config.SettingsError, match="CRM_PROXY_HOPS"):
        config.from_environment({"CRM_PROXY_HOPS": raw})
