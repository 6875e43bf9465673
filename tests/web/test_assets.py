"""Shared layout (web/templates/base.html, _macros.html) and front-end asset wiring.

These tests build a throwaway Flask app pointed at web/templates and web/static; they do not import app.py.
Vendor files (web/static/vendor/, produced by `npm ci && bash scripts/copy_assets.sh`) are git-ignored,
so the check that every referenced vendor file exists is skipped when they have not been copied.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from flask import Flask, flash, render_template, render_template_string
from flask_babel import Babel
from flask_login import LoginManager, UserMixin, login_user
from flask_wtf import CSRFProtect

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "web" / "templates"
STATIC = ROOT / "web" / "static"

NAV = [
    {"label": "My tasks", "url": "/tasks", "icon": "check2-square", "active": True},
    {"label": "Customers", "url": "/customers", "icon": "building", "active": False},
]


class _User(UserMixin):
    id = "7"
    display_name = "Ann <Admin>"


def _make_app(*, csrf: bool = True, login: bool = True) -> Flask:
    app = Flask("asset_test", template_folder=str(TEMPLATES), static_folder=str(STATIC))
    app.config.update(SECRET_KEY="test", TESTING=True)
    Babel(app)  # the layout's texts go through the catalog (``_``)
    if csrf:
        CSRFProtect(app)
    if login:
        lm = LoginManager(app)
        lm.user_loader(lambda _uid: _User())
    return app


def _render(
    app: Flask, source: str = "{% extends 'base.html' %}", *, user: bool = False, flashes: tuple = (), **ctx
) -> str:
    with app.test_request_context("/"):
        if user:
            login_user(_User())
        for message, category in flashes:
            flash(message, category)
        return render_template_string(source, **ctx)


# --- base.html -----------------------------------------------------------------------------------


def test_base_renders_without_any_context():
    html = _render(_make_app(csrf=False, login=False))
    assert "vendor/bootstrap/bootstrap.min.css" in html
    assert "vendor/bootstrap/bootstrap.bundle.min.js" in html
    assert "vendor/bootstrap-icons/bootstrap-icons.min.css" in html
    assert "js/app.js" in html and "css/app.css" in html
    assert 'name="csrf-token"' not in html  # no CSRFProtect -> no meta, no crash
    assert "navbar-toggler" not in html  # no nav items -> no hamburger
    assert "crm-bell" not in html
    assert "dropdown-toggle" not in html  # no user menu


def test_base_full_context():
    app = _make_app()
    html = _render(
        app,
        user=True,
        nav_items=NAV,
        logout_url="/logout",
        unread_count=3,
        notifications_url="/notifications",
        flashes=(("Saved", "success"), ("Careful", "warning"), ("Broken", "error"), ("Plain", "message")),
    )
    assert re.search(r'<meta name="csrf-token" content="[^"]+">', html)
    assert "Ann &lt;Admin&gt;" in html and "Ann <Admin>" not in html
    assert 'action="/logout"' in html
    assert 'href="/notifications"' in html
    assert re.search(r'crm-bell-badge">\s*3\s*</span>', html)
    assert 'href="/tasks" aria-current="page"' in html
    assert "bi-check2-square" in html and 'href="/customers"' in html
    assert "navbar-toggler" in html
    for category in ("success", "warning", "danger", "info"):
        assert f"alert alert-{category} alert-dismissible" in html
    assert html.count('data-bs-dismiss="alert"') == 4


@pytest.mark.parametrize("ctx", [{}, {"unread_count": 0}, {"notifications_url": "/n"}])
def test_unread_badge_hidden_without_unread(ctx):
    html = _render(_make_app(), user=True, **ctx)
    assert "crm-bell-badge" not in html


def test_anonymous_user_has_no_user_menu():
    html = _render(_make_app(), nav_items=NAV, logout_url="/logout")
    assert 'href="/logout"' not in html
    assert "dropdown-toggle" not in html


def test_blocks_are_available():
    src = (
        "{% extends 'base.html' %}"
        "{% block title %}Tasks{% endblock %}"
        "{% block head %}<meta name='x-head'>{% endblock %}"
        "{% block content %}<p id='x-content'></p>{% endblock %}"
        "{% block scripts %}<script id='x-scripts'></script>{% endblock %}"
    )
    html = _render(_make_app(), src)
    assert "<title>Tasks · CRM</title>" in html
    head, body = html.split("</head>", 1)
    assert "x-head" in head
    assert "<p id='x-content'></p>" in body
    # page scripts come after bootstrap and app.js
    assert body.index("bootstrap.bundle.min.js") < body.index("js/app.js") < body.index("x-scripts")


def test_templates_only_use_static_endpoint():
    for name in ("base.html", "_macros.html"):
        source = (TEMPLATES / name).read_text(encoding="utf-8")
        source = re.sub(r"\{#.*?#\}", "", source, flags=re.S)  # examples in comments don't count
        for call in re.findall(r"url_for\(([^,)]*)", source):
            assert call.strip() == "'static'", f"{name}: url_for({call}) - only 'static' is allowed"


# --- _macros.html --------------------------------------------------------------------------------

MACROS = "{% from '_macros.html' import pager, status_badge, empty_state %}"

STATUSES = [
    "running",
    "waiting",
    "completed",
    "error",
    "suspended",
    "terminated",
    "ready",
    "claimed",
    "overdue",
    "due_soon",
]


def test_status_badge_known_and_unknown():
    app = _make_app()
    classes = {}
    for status in STATUSES:
        html = _render(app, MACROS + "{{ status_badge(s) }}", s=status)
        match = re.search(r'<span class="badge ([^"]*) crm-status crm-status-' + status + '"', html)
        assert match, html
        classes[status] = match.group(1)
        assert "text-bg-secondary" not in classes[status]
    assert classes["error"] == classes["overdue"] == "text-bg-danger"
    assert classes["completed"] == "text-bg-success"
    assert "Due soon" in _render(app, MACROS + "{{ status_badge('DUE_SOON') }}")
    assert "text-bg-secondary" in _render(app, MACROS + "{{ status_badge('whatever') }}")
    assert "&mdash;" in _render(app, MACROS + "{{ status_badge(none) }}")


def test_status_badge_accepts_enum():
    import enum

    class Status(enum.Enum):
        RUNNING = "running"

    html = _render(_make_app(), MACROS + "{{ status_badge(s) }}", s=Status.RUNNING)
    assert "crm-status-running" in html and "text-bg-primary" in html


def test_pager():
    app = _make_app()
    html = _render(app, MACROS + "{{ pager(7, 20, f) }}", f=lambda p: f"/list?page={p}")
    assert 'href="/list?page=6" rel="prev"' in html
    assert 'href="/list?page=8" rel="next"' in html
    assert 'href="/list?page=1"' in html and 'href="/list?page=20"' in html
    assert 'href="/list?page=3"' not in html  # outside the window -> ellipsis
    assert html.count("&hellip;") == 2
    assert re.search(r'aria-current="page"><span class="page-link">7</span>', html)
    assert _render(app, MACROS + "{{ pager(1, 1, f) }}", f=str).strip() == ""
    first = _render(app, MACROS + "{{ pager(1, 2, f) }}", f=lambda p: f"?p={p}")
    assert 'rel="prev"' not in first and 'href="?p=2" rel="next"' in first


def test_pager_of_an_unknown_total():
    html = _render(_make_app(), MACROS + "{{ pager(7, 41, f, more=true) }}", f=lambda p: f"/list?page={p}")
    assert 'href="/list?page=1"' in html and 'href="/list?page=9"' in html and 'href="/list?page=8" rel="next"' in html
    assert 'href="/list?page=10"' not in html and 'href="/list?page=41"' not in html  # no last page number
    assert html.count("&hellip;") == 2 and "Page 7 of 41+" in html


def test_empty_state_with_and_without_caller():
    app = _make_app()
    plain = _render(app, MACROS + "{{ empty_state('Nothing <here>') }}")
    assert "Nothing &lt;here&gt;" in plain and "bi-inbox" in plain
    called = _render(app, MACROS + "{% call empty_state('No tasks', icon='check2') %}<a id='act'></a>{% endcall %}")
    assert "<a id='act'></a>" in called and "bi-check2" in called


# --- static files and the npm side ---------------------------------------------------------------


def _referenced_static_files() -> set[str]:
    found = set()
    for path in TEMPLATES.rglob("*.html"):
        found.update(re.findall(r"filename='([^']+)'", path.read_text(encoding="utf-8")))
    return found


def test_own_static_files_exist():
    own = {f for f in _referenced_static_files() if not f.startswith("vendor/")}
    assert {"css/app.css", "js/app.js", "js/diagram.js"} <= own
    for name in own:
        assert (STATIC / name).is_file(), name


def test_vendor_files_referenced_by_templates_exist():
    if not (STATIC / "vendor").is_dir():
        pytest.skip("vendor assets not copied (run: npm ci && bash scripts/copy_assets.sh)")
    for name in {f for f in _referenced_static_files() if f.startswith("vendor/")}:
        assert (STATIC / name).is_file(), f"{name} missing - is it copied by scripts/copy_assets.sh?"
    assert (STATIC / "vendor/bootstrap-icons/fonts/bootstrap-icons.woff2").is_file()
    assert (STATIC / "vendor/bpmn-js/assets/bpmn-font/font/bpmn.woff2").is_file()
    assert (STATIC / "vendor/chart.js/chart.umd.min.js").is_file()
    assert (STATIC / "vendor/dmn-js/dmn-modeler.production.min.js").is_file()


def test_package_json_dependencies():
    pkg = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    assert pkg.get("private") is True
    deps = pkg["dependencies"]
    assert {"bootstrap", "bootstrap-icons", "bpmn-js", "dmn-js", "chart.js"} <= set(deps)
    assert (ROOT / "package-lock.json").is_file()


def test_copy_assets_script_is_valid_bash():
    script = ROOT / "scripts" / "copy_assets.sh"
    text = script.read_text(encoding="utf-8")
    assert "set -euo pipefail" in text
    bash = shutil.which("bash")
    if bash:
        subprocess.run([bash, "-n", str(script)], check=True)


def test_js_files_parse():
    node = shutil.which("node")
    if not node:
        pytest.skip("node not installed")
    for name in ("js/app.js", "js/diagram.js"):
        subprocess.run([node, "--check", str(STATIC / name)], check=True)


def test_render_template_by_name():
    """base.html is loadable through the normal loader (not only render_template_string)."""
    app = _make_app()
    with app.test_request_context("/"):
        html = render_template("base.html", nav_items=NAV)
    assert "My tasks" in html
