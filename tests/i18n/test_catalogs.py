"""The catalogs hold every marked message of the sources, translated into every shipped language."""

from __future__ import annotations

from pathlib import PurePosixPath

from i18n import LANGUAGES
from i18n.catalogs import area_of, check, extract, web_areas


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
