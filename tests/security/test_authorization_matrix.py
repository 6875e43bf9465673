"""Every route of the URL map × every role answers as ``authorization_table.TABLE`` declares.

A route without a row fails with what each role gets today; a row without a route fails too (stale rows).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from sqlalchemy import select

import config
from app import create_app
from crm.accounts.users import User
from tests.support.web import WebUser

from .authorization_table import LOGIN, OK, ROLES, TABLE, Expect, Record

IGNORED_METHODS = {"HEAD", "OPTIONS"}


def route_keys() -> list[str]:
    """``"METHOD endpoint"`` for every route of a freshly built app (GETs first: they change nothing)."""
    settings = config.Settings(database_url="sqlite://", redis_url="", secret_key="test-secret", testing=True,
                               upload_dir=Path(tempfile.mkdtemp(prefix="crm-routes-")))
    app = create_app(settings)
    try:
        keys = {f"{method} {rule.endpoint}" for rule in app.url_map.iter_rules()
                for method in rule.methods - IGNORED_METHODS}
    finally:
        app.extensions["crm"].db.dispose()
    return sorted(keys, key=lambda key: (not key.startswith("GET "), key))


ROUTES = route_keys()


def test_every_row_of_the_table_names_a_route():
    stale = sorted(set(TABLE) - set(ROUTES))
    assert not stale, f"rows in tests/security/authorization_table.py for routes that do not exist: {stale}"


def classify(response) -> int | str:
    """The answer as the table spells it: LOGIN, a refusal code (401/403/404/405/429/5xx) or OK."""
    if response.status_code in (301, 302, 303, 307) and "/login" in response.headers.get("Location", ""):
        return LOGIN
    if response.status_code in (401, 403, 404, 405, 429) or response.status_code >= 500:
        return response.status_code
    return OK


def suggest_row(route: str, observed: dict[str, int | str]) -> str:
    """A table row that matches ``observed`` (for the failure message of a route without a row)."""
    signed = [observed[role] for role in ROLES if role != "anonymous"]
    allowed = tuple(role for role in ROLES if observed[role] == OK and role != "anonymous")
    refusal = max(set(signed), key=signed.count)
    if refusal == OK or not allowed:
        body = f"signed_in({refusal!r}" if refusal != OK else "signed_in("
        exceptions = {role: got for role, got in observed.items() if role != "anonymous" and got != refusal}
    else:
        others = max({s for s in signed if s != OK}, key=signed.count)
        body = f"only({', '.join(map(repr, allowed))}" + (f", others={others!r}" if others != 403 else "")
        exceptions = {role: got for role, got in observed.items()
                      if role != "anonymous" and got not in (OK, others)}
    anonymous = observed["anonymous"]
    api = route.split(" ", 1)[1].startswith("api.")
    if anonymous != (401 if api else LOGIN):
        exceptions["anonymous"] = anonymous
    args = ", ".join([body.split("(", 1)[1]] * bool(body.split("(", 1)[1])
                     + [f"{role}={got!r}" for role, got in exceptions.items()])
    row = f"{body.split('(', 1)[0]}({args})"
    return f"{route!r}: {f'api({row})' if api else row},".replace("'ok'", "OK").replace("'login'", "LOGIN")


def url_for_route(world, endpoint: str, expect: Expect) -> str:
    rule = next(r for r in world.app.url_map.iter_rules() if r.endpoint == endpoint)
    values = {}
    for name in rule.arguments:
        value = expect.args.get(name, world.args.get(name))
        if isinstance(value, Record):
            value = world.args[value.name]
        if name == "user_id" and value in ROLES:
            with world.platform.sessions() as session:
                value = session.scalar(select(User.id).where(User.username == value))
        assert value is not None, f"no record for URL argument {name!r}: add one in tests/security/conftest.py"
        values[name] = value
    values.update({name: world.args[name] for name in expect.query})
    with world.app.test_request_context():
        return world.app.url_for(endpoint, **values)


def request(world, role: str, method: str, url: str, expect: Expect):
    if role == "anonymous":
        user = WebUser(world.app.test_client(), None)
    elif expect.fresh_session:
        user = WebUser(world.app.test_client(), role).login()
    else:
        user = world.users[role]
    if method == "GET":
        return user.get(url)
    world.reset()
    data = expect.data
    if callable(data):
        with world.platform.sessions() as session:
            data = data(session)
    api = url.startswith("/api/")
    response = user.api(method, url, json=data or {}) if api else user.post(url, data=data or {})
    if expect.fresh_session and role != "anonymous":  # ending a session ends the user's earlier ones too
        world.users[role] = WebUser(world.app.test_client(), role).login()
    return response


@pytest.mark.parametrize("route", ROUTES)
def test_route_answers_every_role_as_the_table_says(world, route):
    method, endpoint = route.split(" ", 1)
    expect = TABLE.get(route, Expect({}))
    url = url_for_route(world, endpoint, expect)
    order = sorted(ROLES, key=lambda role: expect.statuses.get(role) == OK)  # refusals first: they change nothing
    observed = {role: classify(request(world, role, method, url, expect)) for role in order}
    observed = {role: observed[role] for role in ROLES}
    if route not in TABLE:
        pytest.fail(f"{route} ({url}) has no row in tests/security/authorization_table.py. Today the roles get "
                    f"{observed!r}; if that is right, add:\n    {suggest_row(route, observed)}")
    wrong = {role: f"expected {expect.statuses.get(role)!r}, got {got!r}" for role, got in observed.items()
             if expect.statuses.get(role) != got}
    assert not wrong, f"{route} ({url}): {wrong}"
