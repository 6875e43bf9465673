"""What every request pays before and after its view (issue 18): answers that never change are worked out once per
process, not per request, and a change that matters (a new secret key, another language) still shows on the next
request. Counted, not timed."""

from __future__ import annotations

import dataclasses
from unittest import mock

import flask
import flask.app
import werkzeug.wrappers.request
from babel import Locale


def test_flask_inspects_each_hook_once_not_on_every_request(app, client):
    assert client.get("/healthz").status_code == 200
    with mock.patch.object(flask.app, "iscoroutinefunction", wraps=flask.app.iscoroutinefunction) as inspected:
        assert client.get("/healthz").status_code == 200
        assert client.get("/login").status_code == 200  # its view and blueprint hooks are new: inspected once
        inspected.reset_mock()
        assert client.get("/login").status_code == 200
    assert inspected.call_count == 0


def test_a_function_added_for_one_request_still_runs(app, client):
    ran = []

    @app.get("/test-after-this-request")
    def one_off():
        @flask.after_this_request
        def mark(response):
            ran.append(response.status_code)
            return response
        return "ok"

    for _ in range(2):
        assert client.get("/test-after-this-request").status_code == 200
    assert ran == [200, 200]


def test_the_session_cookie_follows_a_new_secret_key_on_the_next_request(app, login):
    sales = login("sales")
    interface = app.session_interface
    assert interface.get_signing_serializer(app) is interface.get_signing_serializer(app)  # built once
    assert sales.get("/worklist/").status_code == 200
    original = app.secret_key
    app.secret_key = "another-secret-key-of-at-least-thirty-two-bytes"
    try:
        assert sales.get("/worklist/").status_code == 302  # the cookie signed with the old key is not accepted
    finally:
        app.secret_key = original


def test_an_api_token_is_checked_with_the_secret_key_in_use(app, platform, client):
    token = client.post("/api/auth/token", json={"username": "sales", "password": "demo"}).json["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/tasks", headers=bearer).status_code == 200
    rotated = dataclasses.replace(platform.settings, secret_key="another-secret-key-of-at-least-thirty-two-bytes")
    with mock.patch.object(platform, "settings", rotated):
        assert client.get("/api/tasks", headers=bearer).status_code == 401  # signed with the old key
    assert client.get("/api/tasks", headers=bearer).status_code == 200


def test_a_requests_language_is_parsed_once_per_process(app, login, restore_users):
    sales = login("sales")
    assert sales.post("/language", data={"language": "zh_CN"}).status_code == 302
    assert sales.get("/worklist/").status_code == 200
    with mock.patch.object(Locale, "parse", wraps=Locale.parse) as parsed:
        page = sales.get("/worklist/")
    assert page.status_code == 200 and 'lang="zh-CN"' in page.get_data(as_text=True)
    assert not [call for call in parsed.call_args_list if not isinstance(call.args[0], Locale)]  # no name parsed
    assert sales.post("/language", data={"language": "en"}).status_code == 302
    assert 'lang="en"' in sales.get("/worklist/").get_data(as_text=True)  # a new choice shows on the next request


def test_a_json_body_is_not_parsed_as_a_form(app, client):
    with mock.patch.object(werkzeug.wrappers.request.Request, "_load_form_data",
                           wraps=werkzeug.wrappers.request.Request._load_form_data, autospec=True) as parsed:
        answer = client.post("/api/auth/token", json={"username": "sales", "password": "demo"})
    assert answer.status_code == 200
    assert parsed.call_count == 0
    refused = client.post("/api/auth/token", json={"username": "sa\x00les", "password": "demo"})
    assert refused.status_code == 400  # the JSON body is still checked
