"""Stored Chinese text reads as text in the admin console and the API, never as \\uXXXX (issue 14 item 7)."""

from __future__ import annotations

from tests.engine.helpers import deploy, start

NAME = "刘德华 · 北京世纪机械有限公司"


def test_the_admin_console_shows_process_data_as_text(platform, actors, login):
    deploy(platform, "approval.bpmn")
    instance_id = start(platform, "approval", actors["sales"], {"customer_name": NAME})
    page = login("admin").get(f"/admin/instances/{instance_id}").get_data(as_text=True)
    assert NAME in page
    assert "\\u5218" not in page


def test_the_api_answers_in_utf8_text(platform, actors, login):
    deploy(platform, "approval.bpmn")
    instance_id = start(platform, "approval", actors["sales"], {"customer_name": NAME})
    answer = login("admin").get(f"/api/instances/{instance_id}")
    assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
    raw = answer.get_data()
    assert NAME.encode("utf-8") in raw and b"\\u5218" not in raw
    assert answer.json["data"]["customer_name"] == NAME


def test_html_safe_escaping_still_applies(app):
    with app.test_request_context():
        rendered = app.jinja_env.from_string("{{ v|tojson }}").render(v="</script><b>刘</b>'&")
    assert "</script>" not in rendered and "刘" in rendered and "'" not in rendered and "&" not in rendered.replace(
        "\\u0026", "")
