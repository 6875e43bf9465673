"""Every next/back parameter goes through one helper: same-site paths only (item 5)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support.web import WebUser
from web.redirects import safe_next

ROOT = Path(__file__).resolve().parents[2]

HOSTILE = [
    "//evil.example", "/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example", "\t//evil.example",
    "/\\evil.example", "\\\\evil.example", "https://evil.example/", "http:evil.example", "javascript:alert(1)",
    "data:text/html,x", " /x", "evil.example", "//localhost@evil.example", "https://localhost.evil.example/",
    "/x\x00y", "/\u2028/evil.example", "/\u200b/evil.example", "/" + "a" * 2001, "", None, 7, ["/x"],
    "http://[::1", "ftp://localhost/x",
]
KEPT = ["/", "/worklist/?list=queue&page=2", "/tasks/abc#comments", "/customers/%2F%2Fevil.example"]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_targets_give_the_default(app, value):
    with app.test_request_context("/", base_url="http://localhost"):
        assert safe_next(value, "/home") == "/home"


@pytest.mark.parametrize("value", KEPT)
def test_paths_on_this_site_are_kept(app, value):
    with app.test_request_context("/", base_url="http://localhost"):
        assert safe_next(value, "/home") == value


def test_an_absolute_url_of_this_host_becomes_its_path(app):
    with app.test_request_context("/", base_url="https://crm.example"):
        assert safe_next("https://crm.example/worklist/?x=1") == "/worklist/?x=1"
        assert safe_next("https://crm.example.evil/worklist/") == "/"


def login(client, next_value: str):
    token = WebUser(client, None).csrf_token()
    return client.post("/login", query_string={"next": next_value},
                       data={"username": "sales", "password": "demo", "csrf_token": token})


@pytest.mark.parametrize("next_value", ["/\t/evil.example", "//evil.example", "/\\evil.example", "\n",
                                        "https://evil.example"])
def test_login_never_leaves_the_site(app, next_value):
    response = login(app.test_client(), next_value)
    assert response.status_code == 302 and response.headers["Location"] == "/worklist/"


def test_login_follows_a_local_next(app):
    response = login(app.test_client(), "/customers/?q=a")
    assert response.headers["Location"] == "/customers/?q=a"


def test_the_admin_bulk_action_back_link_stays_on_the_site(login):
    admin = login("admin")
    response = admin.post("/admin/instances/bulk", {"action": "suspend", "reason": "x",
                                                    "next": "https://evil.example/"})
    assert response.status_code == 302 and response.headers["Location"] == "/admin/instances"
    response = admin.post("/admin/instances/bulk", {"action": "suspend", "reason": "x", "next": "/\n/x"})
    assert response.status_code == 302 and "\n" not in response.headers["Location"]


def test_no_redirect_follows_client_input_without_the_helper():
    """A redirect(...) whose target comes from the request must go through safe_next."""
    unsafe = []
    for path in (ROOT / "web").rglob("*.py"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            for call in re.findall(r"redirect\((.*)", line):
                if "request." in call and not call.lstrip().startswith(("safe_next(", "url_for(")):
                    unsafe.append(f"{path.relative_to(ROOT)}:{number}")
    assert unsafe == []
