"""The demo data speaks the site's language: Chinese companies, people and texts, English by a flag (issue 14
item 8)."""

from __future__ import annotations

import datetime as dt
import random
import re

from sqlalchemy import select

from crm.accounts.users import User
from demo import sales as demo_sales
from demo.vocabulary import CHINESE, ENGLISH
from i18n import force_locale

HAN = re.compile(r"[\u4e00-\u9fff]")


def _customers(app, platform, language):
    with app.app_context(), force_locale(language), platform.sessions() as session:
        sellers = list(session.scalars(select(User).where(User.username.in_(("sales", "sales2")))))
        customers = demo_sales._customers(session, random.Random(demo_sales.SEED), sellers, dt.datetime(2026, 1, 1))
        rows = [(c.company, c.industry, c.region, c.email, [(k.name, k.title, k.email) for k in c.contacts])
                for c in customers]
        session.rollback()
    return rows


def test_chinese_demo_names_companies_and_people_in_chinese(app, platform):
    rows = _customers(app, platform, "zh_CN")
    assert len({company for company, *_ in rows}) == len(rows)  # every company name differs
    assert all(HAN.search(company) and company.endswith(("有限公司", "分公司")) for company, *_ in rows)
    assert {industry for _, industry, *_ in rows} <= set(CHINESE.industries)
    assert {region for _, _, region, *_ in rows} <= set(CHINESE.regions)
    contacts = [contact for *_, people in rows for contact in people]
    assert all(HAN.match(name) and HAN.search(title) for name, title, _ in contacts)
    assert all(re.fullmatch(r"[a-z0-9.@-]+", email) for _, _, _, email, _ in rows)  # addresses stay ASCII


def test_the_same_seed_draws_the_same_records_in_english(app, platform):
    chinese = _customers(app, platform, "zh_CN")
    english = _customers(app, platform, "en")
    assert all(re.fullmatch(r"[A-Za-z ]+ \d{3}", row[0]) for row in english)
    assert [row[3] for row in english] == [row[3] for row in chinese]  # same e-mail addresses: the same draws
    assert {row[1] for row in english} <= set(ENGLISH.industries)


def test_demo_texts_come_from_the_demo_catalog(app):
    from i18n import _

    with app.app_context():
        with force_locale("zh_CN"):
            assert _("Propeller shaft vibration") == "螺旋桨轴振动"
        with force_locale("en"):
            assert _("Propeller shaft vibration") == "Propeller shaft vibration"
