"""Which language a page is in: the user's choice, else the site's, else the browser's (issue 14 item 2)."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select

from app import create_app
from crm.accounts.users import User
from tests.conftest import make_settings
from tests.support.web import WebUser


def _lang(response) -> str:
    text = response.get_data(as_text=True)
    return text.split('<html lang="', 1)[1].split('"', 1)[0]


@pytest.fixture
def browser_site(database_url, queue_name, workers):
    """An app without a site language: the browser's Accept-Language decides."""
    application = create_app(dataclasses.replace(make_settings(database_url, queue_name), locale=""))
    yield application
    application.extensions["crm"].db.dispose()


def test_the_site_language_is_the_default(chinese_site):
    page = chinese_site.test_client().get("/login", headers={"Accept-Language": "en"})
    assert _lang(page) == "zh-CN"
    assert "登录" in page.get_data(as_text=True)


def test_without_a_site_language_the_browser_decides(browser_site):
    client = browser_site.test_client()
    assert _lang(client.get("/login", headers={"Accept-Language": "zh-CN,zh;q=0.9"})) == "zh-CN"
    assert _lang(client.get("/login", headers={"Accept-Language": "de, en;q=0.5"})) == "en"
    assert _lang(client.get("/login", headers={"Accept-Language": "fr"})) == "en"


def test_the_switcher_before_signing_in_keeps_the_choice_in_the_session(chinese_site):
    visitor = WebUser(chinese_site.test_client())
    answer = visitor.post("/language", {"language": "en", "next": "/login?x=1"})
    assert answer.status_code == 302 and answer.headers["Location"] == "/login?x=1"
    page = visitor.get("/login")
    assert _lang(page) == "en" and "Sign in" in page.get_data(as_text=True)


def test_a_users_choice_beats_the_site_and_is_kept_on_the_account(chinese_site, platform):
    sales = WebUser(chinese_site.test_client(), "sales").login()
    assert _lang(sales.get("/account/")) == "zh-CN"
    assert "我的账户" in sales.get("/account/").get_data(as_text=True)
    answer = sales.post("/language", {"language": "en", "next": "https://evil.example/"})
    assert answer.headers["Location"] == "/"  # never off the site
    assert _lang(sales.get("/account/")) == "en"
    with platform.sessions() as session:
        assert session.scalar(select(User.language).where(User.username == "sales")) == "en"
    again = WebUser(chinese_site.test_client(), "sales").login()  # another browser, same person
    assert _lang(again.get("/worklist/")) == "en"


def test_the_account_page_saves_language_and_time_zone(login, platform):
    sales = login("sales")
    form = {"display_name": "Sam Sales", "phone": "", "language": "zh_CN", "timezone": "Asia/Shanghai"}
    assert sales.post("/account/", form).status_code == 302
    page = sales.get("/account/").get_data(as_text=True)
    assert '<html lang="zh-CN">' in page and "时区" in page
    assert '<option value="Asia/Shanghai" selected>' in page
    with platform.sessions() as session:
        user = session.scalar(select(User).where(User.username == "sales"))
        assert (user.language, user.timezone) == ("zh_CN", "Asia/Shanghai")


@pytest.mark.parametrize("field,value", [("language", "xx_YY"), ("timezone", "Mars/Olympus"),
                                         ("timezone", "Asia/Shanghai" * 10)])
def test_an_unknown_language_or_time_zone_is_refused(login, platform, field, value):
    sales = login("sales")
    answer = sales.post("/account/", {"display_name": "Sam Sales", "phone": "", field: value})
    assert answer.status_code == 422
    assert "is-invalid" in answer.get_data(as_text=True)
    with platform.sessions() as session:
        assert getattr(session.scalar(select(User).where(User.username == "sales")), field) == ""


def test_an_unknown_switcher_language_changes_nothing(login):
    sales = login("sales")
    assert sales.post("/language", {"language": "xx"}).status_code == 302
    assert _lang(sales.get("/account/")) == "en"


def test_messages_of_the_domain_layer_are_translated_too(chinese_site):
    sales = WebUser(chinese_site.test_client(), "sales").login()
    answer = sales.post("/account/password", {"current_password": "wrong", "new_password": "x",
                                              "repeat_password": "x"})
    assert answer.status_code == 422
    assert "当前密码不正确" in answer.get_data(as_text=True)


def test_numbers_follow_the_language(chinese_site):
    from crm import formatting

    with chinese_site.test_request_context(headers={"Accept-Language": "en"}):
        assert formatting.money("1234.5") == "¥1,234.50"
