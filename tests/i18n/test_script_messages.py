"""The browser scripts' messages: one file per language named by its content, not ~30 KB inside every page."""

from __future__ import annotations

import re

from tests.support.web import WebUser

SCRIPT = re.compile(r'<script src="(/i18n/messages\.([a-zA-Z_]+)\.([0-9a-f]+)\.js)"></script>')


def test_a_page_names_its_languages_messages_file_which_is_cached_for_good(chinese_site):
    client = chinese_site.test_client()
    page = client.get("/login").get_data(as_text=True)
    [(url, locale, _)] = SCRIPT.findall(page)
    assert locale == "zh_CN" and "crm-messages" not in page
    assert page.index(url) < page.index("js/app.js")  # loaded before the scripts that translate
    answer = client.get(url)
    assert answer.status_code == 200 and answer.mimetype == "text/javascript"
    assert answer.cache_control.immutable and answer.cache_control.max_age == 365 * 24 * 3600
    body = answer.get_data(as_text=True)
    assert body.startswith("window.crmMessages = {") and '"Saving the draft…":"正在保存草稿……"' in body


def test_another_languages_file_has_another_name_and_its_own_words(chinese_site):
    client = chinese_site.test_client()
    [(_, _, chinese)] = SCRIPT.findall(client.get("/login").get_data(as_text=True))
    WebUser(client).post("/language", {"language": "en", "next": "/login"})
    [(url, locale, english)] = SCRIPT.findall(client.get("/login").get_data(as_text=True))
    assert (locale, english != chinese) == ("en", True)
    assert "正在保存草稿" not in client.get(url).get_data(as_text=True)


def test_an_old_digest_gets_todays_messages_uncached_and_an_unknown_language_is_not_found(chinese_site):
    client = chinese_site.test_client()
    old = client.get("/i18n/messages.zh_CN.0000000000000000.js")
    assert old.status_code == 200 and old.cache_control.no_cache and "正在保存草稿" in old.get_data(as_text=True)
    assert client.get("/i18n/messages.de.0000000000000000.js").status_code == 404
