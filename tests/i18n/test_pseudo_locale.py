"""Every text of a page goes through the catalog: rendered in a pseudo-language, no English is left over
except the data listed per page (the language names of the switcher and the user's own name are data on every
page). Add your pages to ``PAGES`` as you mark an area (``{name}`` in a URL is an id of the records
:func:`records` creates)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from babel import Locale
from sqlalchemy import select

import i18n
from crm.accounts.users import User
from crm.customers import records as customer_records
from crm.sales.activities import plan_activity
from crm.sales.opportunities import create_opportunity
from crm.service import engineers, service_desk, settlements
from crm.service.service_desk import ServiceOrderItem
from demo.users import DEMO_USERS
from tests.i18n.pseudo import pseudo_translations, unmarked_text

LANGUAGE_NAMES = ("中文", "English")
MONTHS = tuple(Locale("en").months["format"]["abbreviated"].values())
"""Dates read ``7 Dec 2026`` in English (Babel's format, data like the digits)."""
WEEKDAYS = tuple(Locale("en").days["format"]["wide"].values())
"""Dates with their weekday read ``Monday 7 Dec 2026`` (Babel's names, data too)."""
PEOPLE = (*LANGUAGE_NAMES, *(name for name, _roles in DEMO_USERS.values()), *DEMO_USERS, *MONTHS)
"""The demo users' display and user names, the language switcher's names and month names (data on many pages)."""
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
    # the reports' grade filter lists the stored grade keys of the records below ("key")
    ("sales", "/reports/?period=year&year=2025", ("Sales", "JSON", "1 Jan 2025 – 31 Dec 2025", "key")),
    ("sales", "/kpi/?period=year&year=2025", ("Sales", "JSON", "1 Jan 2025 – 31 Dec 2025", "key")),
    ("sales", "/customers/", PEOPLE),
    ("sales", "/customers/{customer}", PEOPLE),
    ("sales", "/customers/new", PEOPLE),
    ("sales", "/customers/{customer}/edit", PEOPLE),
    ("sales", "/customers/{customer}/contacts/new", PEOPLE),
    ("sales", "/customers/{customer}/contacts/{contact}/edit", PEOPLE),
    ("admin", "/customers/{customer}/merge?duplicate_id={duplicate}", PEOPLE),
    ("admin", "/customers/reassign", PEOPLE),
    ("sales", "/lists/customers", (*PEOPLE, "CSV", "Excel")),
    ("sales", "/lists/contacts", (*PEOPLE, "CSV", "Excel")),
    ("sales", "/lists/opportunities", (*PEOPLE, "CSV", "Excel")),
    ("sales", "/search/?q=北京", PEOPLE),
    ("sales", "/search/?q=nothing-like-this", (*PEOPLE, "nothing-like-this")),
    ("agent", "/service/", PEOPLE),
    ("agent", "/service/requests/{service_request}", PEOPLE),
    ("admin", "/service/requests/{service_request}", PEOPLE),
    ("agent", "/engineers/", (*PEOPLE, *WEEKDAYS)),
]


@pytest.fixture
def records(platform) -> dict[str, int]:
    """Chinese customers, a contact, an opportunity and a planned call of Sam Sales (names are data, in Chinese so
    that they never read as English)."""
    with platform.sessions.begin() as session:
        sam = session.scalar(select(User).where(User.username == "sales"))
        values = {"company": "北京世纪重工有限公司", "industry": "机械", "region": "华北", "grade": "key",
                  "relationship_type": "relationship", "registry_number": "", "size": "", "source": "",
                  "phone": "", "email": "", "website": "", "address": "北京市海淀区"}
        customer = customer_records.create_customer(session, values, sam, "sales")
        duplicate = customer_records.create_customer(session, {**values, "company": "北京世纪重工公司"}, sam, "sales")
        contact = customer_records.add_contact(session, customer, {"name": "王伟", "title": "采购经理", "phone": "",
                                                                   "mobile": "", "email": "", "is_main": True},
                                               "sales")
        opportunity = create_opportunity(session, customer, "二号线改造", Decimal("120000"), "sales", owner=sam,
                                         stage=3, expected_close=dt.date(2027, 3, 31))
        plan_activity(session, customer, sam, "call", "回访", dt.date.today())
        service_request = _settled_service_request(session, customer)
        session.flush()
        return {"customer": customer.id, "duplicate": duplicate.id, "contact": contact.id,
                "opportunity": opportunity.id, "sales": sam.id, "service_request": service_request.id}


def _settled_service_request(session, customer) -> service_desk.ServiceRequest:
    """A classified repair request with a booked, finished, followed-up (complaint) and settled service order."""
    eve = session.scalar(select(User).where(User.username == "engineer"))
    engineer = engineers.add_engineer(session, eve, ["hydraulics", "hull"])
    request = service_desk.register_request(session, customer.id, "phone", "repair", "液压舵机漏油", created_by="agent")
    service_desk.classify(request, "repair", "high", "service_order")
    monday = dt.date.today() + dt.timedelta(days=7 - dt.date.today().weekday())
    starts_at = dt.datetime.combine(monday, dt.time(10, 0))
    order = service_desk.create_order(session, request, [], free_service=False, required_skill="hydraulics",
                                      planned_hours=Decimal(3), scheduled_start=starts_at)
    order.items.append(ServiceOrderItem(description="油封更换", quantity=Decimal(1), unit_price=Decimal("350")))
    service_desk.record_confirmation(order, True)
    session.flush()
    engineers.book(session, engineer.id, starts_at, starts_at + dt.timedelta(hours=3), order_id=order.id,
                   note="船厂码头", created_by="agent")
    service_desk.mark_scheduled(order, starts_at)
    service_desk.record_work(order, Decimal("3.5"), Decimal("120"), "密封件", "更换油封，试车正常")
    follow_up = service_desk.record_follow_up(session, order, 4, 5, True, "到场较晚", "agent")
    service_desk.resolve_follow_up_complaint(follow_up, "致歉并给予折扣", Decimal(5))
    with i18n.force_locale("zh_CN"):  # the receivable's title is written in the site's language (data)
        settlements.settle(session, order, "standard", Decimal(10), settled_by="finance", today=dt.date.today())
    return request


@pytest.mark.parametrize("username,url,data", PAGES, ids=[f"{u}:{url}" for u, url, _ in PAGES])
def test_no_unmarked_text(app, platform, login, client, records, username, url, data):
    user = login(username) if username else None
    with platform.sessions() as session:  # people's names are data (other tests add users, e.g. engineers)
        names = session.scalars(select(User.display_name)).all()
    data = (*LANGUAGE_NAMES, *names, *data)
    with pseudo_translations():
        answer = user.get(url.format(**records)) if user else client.get(url.format(**records))
    assert answer.status_code == 200
    assert unmarked_text(answer.get_data(as_text=True), data) == []


def test_the_users_page_has_no_unmarked_text(platform, login):
    """The administrators' users page: every user's name, address and team are data."""
    with platform.sessions() as session:
        users = session.scalars(select(User)).all()
        data = [value for u in users for value in (u.username, u.display_name, u.email, u.phone)]
        data += [u.team.name for u in users if u.team is not None]
    admin = login("admin")
    with pseudo_translations():
        answer = admin.get("/admin/users/")
    assert answer.status_code == 200
    assert unmarked_text(answer.get_data(as_text=True), (*LANGUAGE_NAMES, *data)) == []


def test_the_check_finds_unmarked_text():
    page = "<html><body><p>⟦Marked⟧ Sam Sales</p><button title='Close me'>⟦x⟧</button><td>2026-12-04</td></body></html>"
    assert unmarked_text(page, ["Sam Sales"]) == ["Close me"]
    assert unmarked_text(page, []) == ["⟦Marked⟧ Sam Sales", "Close me"]


def test_a_chinese_user_sees_the_customer_pages_in_chinese(login, records):
    sales = login("sales")
    sales.post("/language", data={"language": "zh_CN", "next": "/"})
    listing = sales.get("/customers/").get_data(as_text=True)
    assert "客户" in listing and "重点客户" in listing and "新建客户" in listing
    hub = sales.get(f"/customers/{records['customer']}").get_data(as_text=True)
    assert "联系人" in hub and "时间线" in hub and "创建客户" in hub and "商机 二号线改造：第 3 阶段" in hub
    table = sales.get("/lists/opportunities").get_data(as_text=True)
    assert "3 · 拜访与初步调研" in table and "排序" not in table
    assert "没有找到" in sales.get("/search/?q=nothing-like-this").get_data(as_text=True)
    assert "页面不存在" in sales.get("/customers/999999").get_data(as_text=True)


def test_a_chinese_agent_sees_the_service_pages_in_chinese(login, records):
    agent = login("agent")
    agent.post("/language", data={"language": "zh_CN", "next": "/"})
    listing = agent.get("/service/").get_data(as_text=True)
    assert "服务请求" in listing and "电话" in listing and "维修" in listing and "已结算" in listing
    page = agent.get(f"/service/requests/{records['service_request']}").get_data(as_text=True)
    assert "紧急程度：高" in page and "液压" in page and "服务态度 4/5" in page and "补偿折扣 5%" in page
    assert "标准费率：人工" in page and "in_service" not in page and "hydraulics" not in page
    assert "星期一" in agent.get("/engineers/").get_data(as_text=True)
