"""Every text of a page goes through the catalog: rendered in a pseudo-language, no English is left over
except the data listed per page (the language names of the switcher and the user's own name are data on every
page). Add your pages to ``PAGES`` as you mark an area."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from crm.accounts.users import User
from tests.i18n.pseudo import pseudo_translations, unmarked_text

LANGUAGE_NAMES = ("中文", "English")
PAGES = [
    # (user or None, URL, data shown on the page)
    (None, "/login", ()),
    ("sales", "/account/", ("sales", "UTC")),
    ("mktdir", "/tracking/links", ()),
    ("mktdir", "/tracking/checkin", ()),
    ("info", "/imports", ()),
    ("sales", "/reports/periodic/", ()),
    ("salesdir", "/reports/periodic/team?kind=monthly&day=2026-12-01", ("Sam Sales", "Sue Sales")),
    ("info", "/quality", ()),
    ("admin", "/admin/webhooks/", ()),
    ("mktdir", "/campaigns/", ()),
    ("sales", "/reports/?period=year&year=2025", ("Sales", "JSON", "1 Jan 2025 – 31 Dec 2025")),
    ("sales", "/kpi/?period=year&year=2025", ("Sales", "JSON", "1 Jan 2025 – 31 Dec 2025")),
]


@pytest.mark.parametrize("username,url,data", PAGES, ids=[f"{u}:{url}" for u, url, _ in PAGES])
def test_no_unmarked_text(app, platform, login, client, username, url, data):
    user = login(username) if username else None
    with platform.sessions() as session:
        name = session.scalar(select(User.display_name).where(User.username == username)) if username else None
    data = (*LANGUAGE_NAMES, *([name] if name else []), *data)
    with pseudo_translations():
        answer = user.get(url) if user else client.get(url)
    assert answer.status_code == 200
    assert unmarked_text(answer.get_data(as_text=True), data) == []


def test_the_check_finds_unmarked_text():
    page = "<html><body><p>⟦Marked⟧ Sam Sales</p><button title='Close me'>⟦x⟧</button><td>2026-12-04</td></body></html>"
    assert unmarked_text(page, ["Sam Sales"]) == ["Close me"]
    assert unmarked_text(page, []) == ["⟦Marked⟧ Sam Sales", "Close me"]
