"""What every page pays for its language (issue 18): the translations are looked up once per request, not per
message; templates translate as Jinja's new-style gettext does; a language forced inside a request is followed
and left; the menu follows each user's roles. Counted, not timed."""

from __future__ import annotations

from unittest import mock

import flask_babel
from markupsafe import Markup

import i18n

CHINESE_WORKLIST = i18n._catalogs_of("zh_CN").gettext("Worklist")


def _menu(page: str) -> str:
    return page.split('id="crm-main-nav"', 1)[1].split("</ul>", 1)[0]


def test_a_page_looks_up_its_translations_once(login):
    sales = login("sales")
    original = flask_babel.Domain.get_translations
    lookups = []

    def counted(domain):
        lookups.append(domain)
        return original(domain)

    with mock.patch.object(flask_babel.Domain, "get_translations", counted):
        page = sales.get("/worklist/?list=queue")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Filters" in text and "Start a process" in text and "Log out" in text  # many messages, one lookup
    assert len(lookups) == 1


def test_a_language_forced_inside_a_request_is_followed_and_left(app):
    assert CHINESE_WORKLIST != "Worklist"
    template = app.jinja_env.from_string("{{ _('Worklist') }}")
    with app.test_request_context():
        assert i18n._("Worklist") == template.render() == "Worklist"
        with i18n.force_locale("zh_CN"):
            assert i18n._("Worklist") == template.render() == CHINESE_WORKLIST
        assert i18n._("Worklist") == template.render() == "Worklist"


def test_template_messages_are_format_strings_escaped_where_the_template_escapes(app):
    source = ("{% for name in names %}{{ _('Signed in as %(name)s', name=name) }}|"
              "{{ ngettext('%(num)d task', '%(num)d tasks', loop.length + 1) }}|"
              "{{ pgettext('sales status', 'open') }}|{% trans %}Worklist{% endtrans %}{% endfor %}")
    with app.test_request_context():
        escaped = app.jinja_env.from_string(source).render(names=["<b>Sam</b>"])
        app.jinja_env.autoescape = False
        try:
            raw = app.jinja_env.from_string(source).render(names=["<b>Sam</b>"])
        finally:
            app.jinja_env.autoescape = app.select_jinja_autoescape
        open_status = i18n.pgettext("sales status", "open")
    assert escaped == f"Signed in as &lt;b&gt;Sam&lt;/b&gt;|2 tasks|{Markup.escape(open_status)}|Worklist"
    assert raw == f"Signed in as <b>Sam</b>|2 tasks|{open_status}|Worklist"


def test_the_menu_follows_each_users_roles_and_page(login):
    sales, admin = login("sales"), login("admin")
    sales_menu = _menu(sales.get("/worklist/").get_data(as_text=True))
    admin_menu = _menu(admin.get("/worklist/").get_data(as_text=True))
    assert 'href="/admin/users' not in sales_menu and 'href="/admin/users' in admin_menu
    assert 'href="/quotes/' in sales_menu and 'href="/quotes/' not in admin_menu
    assert sales_menu.count('aria-current="page"') == 1
    customers_menu = _menu(sales.get("/customers/").get_data(as_text=True))
    worklist_item = customers_menu.split('href="/worklist/"', 1)[0].rsplit("<a", 1)[1]
    assert "active" not in worklist_item
    assert customers_menu.split('href="/customers/"', 1)[1].split(">", 1)[0].strip() == 'aria-current="page"'
