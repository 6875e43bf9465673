"""The catalogs hold every marked message of the sources, translated into every shipped language."""

from __future__ import annotations

from pathlib import PurePosixPath

from i18n import LANGUAGES
from i18n.catalogs import area_of, check, extract, frontend_messages, web_areas


def test_every_message_is_in_every_catalog_and_translated():
    problems = check()
    assert problems == [], "run `make messages`, then translate (python -m i18n.catalogs todo AREA):\n" + \
        "\n".join(map(str, problems[:60]))


def test_the_catalogs_hold_the_shipped_languages():
    assert set(LANGUAGES) == {"zh_CN", "en"}
    assert {"core", "accounts", "frontend"} <= set(extract())


def test_a_source_file_belongs_to_its_area():
    areas = web_areas()
    assert area_of(PurePosixPath("web/templates/customers/edit.html"), areas) == "customers"
    assert area_of(PurePosixPath("services/orders/quotes.py"), areas) == "orders"
    assert area_of(PurePosixPath("crm/sales/opportunities.py"), areas) == "sales"
    assert area_of(PurePosixPath("web/static/js/pipeline.js"), areas) == "frontend"
    assert area_of(PurePosixPath("web/templates/base.html"), areas) == "core"
    assert area_of(PurePosixPath("crm/fields.py"), areas) == "core"
    assert area_of(PurePosixPath("engine/parser.py"), areas) == "core"


def test_the_browser_scripts_read_a_message_with_a_context_under_gettexts_key():
    """``pgettext('hit policy', 'Priority')`` in web/frontend/i18n.js looks up "hit policy\\x04Priority", apart from
    the task's "Priority"."""
    chinese, english = frontend_messages("zh_CN"), frontend_messages("en")
    assert (chinese["Priority"], chinese["hit policy\x04Priority"]) == ("优先级", "优先级（Priority）")
    assert (english["Priority"], english["hit policy\x04Priority"]) == ("Priority", "Priority")
