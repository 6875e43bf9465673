"""Texts the sales steps write and show: in the reader's language, stored keys as labels, times in their zone."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from crm.accounts.users import User
from crm.customers.models import Customer
from crm.sales import records, tenders
from crm.sales.labels import bond_label, status_label
from i18n import force_locale
from services.sales import task_context


def test_the_bid_reminder_is_written_in_the_owners_language_and_zone(platform, make_customer):
    customer_id = make_customer()
    with platform.sessions.begin() as session:
        owner = session.scalar(select(User).where(User.username == "sales"))
        owner.language, owner.timezone = "zh_CN", "Asia/Shanghai"
        tender = tenders.register_tender(session, 990001, session.get(Customer, customer_id), owner,
                                         project="LNG 码头", deadline=dt.datetime(2026, 12, 10, 1, 0),
                                         estimated_value=Decimal("500000"), documents="", by="sales")
        reminder = tenders.remind_bid(session, tender)
        assert reminder.subject == "请在 2026年12月10日 09:00 之前提交 LNG 码头 的投标文件"
        assert tender.opportunity.name == "投标：LNG 码头"


def test_the_tender_panel_shows_labels_not_keys(platform, make_customer):
    customer_id = make_customer()
    with platform.sessions.begin() as session:
        owner = session.scalar(select(User).where(User.username == "sales"))
        tender = tenders.register_tender(session, 990002, session.get(Customer, customer_id), owner,
                                         project="Jetty", deadline=None, estimated_value=Decimal("1000"),
                                         documents="", by="sales")
        records.record_advance(session, "tender", tender.id, Decimal("2000"))
        with force_locale("zh_CN"):
            panel = task_context.tender(session, {"tender_id": tender.id})
            refusal = _refusal(lambda: records.record_advance(session, "tender", tender.id, Decimal("-1")))
        with force_locale("en"):
            english = task_context.tender(session, {"tender_id": tender.id})
    facts = {fact["label"]: fact["value"] for fact in panel["facts"]}
    assert panel["title"] == "投标：Jetty" and facts["保证金状态"] == "已缴纳" and facts["状态"] == "已登记"
    assert facts["投标保证金"] == "¥2,000.00" and refusal == "备用金不能为负数。"
    facts = {fact["label"]: fact["value"] for fact in english["facts"]}
    assert facts["Bond status"] == "paid" and facts["Status"] == "registered"


def _refusal(action) -> str:
    try:
        action()
    except ValueError as exc:
        return str(exc)
    raise AssertionError("not refused")


def test_status_words_keep_their_sales_sense_whatever_other_areas_call_them():
    """``open``, ``held`` and ``paid`` mean other things on other pages (a quality issue, a held job, a paid
    instalment): the sales labels are looked up in their own context."""
    with force_locale("zh_CN"):
        assert [status_label(s) for s in ("open", "held", "paid", "no_bid")] == ["进行中", "已举行", "已支付", "不投标"]
        assert bond_label("paid") == "已缴纳"
    with force_locale("en"):
        assert [status_label(s) for s in ("open", "no_bid", "unheard-of")] == ["open", "no bid", "unheard-of"]
