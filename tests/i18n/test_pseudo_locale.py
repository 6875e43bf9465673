"""Every text of a page goes through the catalog: rendered in a pseudo-language, no English is left over
except the data listed per page (the language names of the switcher and the user's own name are data on every
page). Add your pages to ``PAGES`` as you mark an area (``{name}`` in a URL is an id of the records
:func:`records` creates)."""

from __future__ import annotations

import datetime as dt
import html
from decimal import Decimal

import pytest
from babel import Locale
from sqlalchemy import select

import i18n
from crm import formatting
from crm.accounts.users import User
from crm.customers import records as customer_records
from crm.notifications.messages import OutboxMessage, add_notification
from crm.orders import contracts, payments, projects, quotes, reminders
from crm.orders.contracts import ContractTemplate
from crm.sales.activities import comment_plan, complete_activity, plan_activity, save_plan_notes
from crm.sales.opportunities import close_opportunity, create_opportunity, edit_opportunity
from crm.service import engineers, service_desk, settlements
from crm.service.policy import ServicePolicy
from crm.service.service_desk import ServiceOrderItem
from demo.users import DEMO_USERS
from i18n import zones
from tests.i18n.pseudo import pseudo_translations, unmarked_text
from tests.processes.helpers import FILE, KEY, chain, deploy

LANGUAGE_NAMES = ("中文", "English")
MONTHS = tuple(Locale("en").months["format"]["abbreviated"].values())
"""Dates read ``7 Dec 2026`` in English (Babel's format, data like the digits)."""
WEEKDAYS = tuple(Locale("en").days["format"]["wide"].values())
"""Dates with their weekday read ``Monday 7 Dec 2026`` (Babel's names, data too)."""
PEOPLE = (*LANGUAGE_NAMES, *(name for name, _roles in DEMO_USERS.values()), *DEMO_USERS, *MONTHS)
"""The demo users' display and user names, the language switcher's names and month names (data on many pages)."""
CURRENCIES = tuple(formatting.currency_choices())
"""The currency codes the new quote form offers."""
TEMPLATE_PLACEHOLDERS = ("contract", "customer", "lines", "position", "description", "quantity", "unit_price",
                         "discount_percent", "amount", "payments", "label", "due_date", "company", "today", "money",
                         "date", "HTML")
"""The contract template page names the placeholders a template may use (code, not prose)."""
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
    ("sales", "/opportunities/", PEOPLE),
    ("sales", "/opportunities/{opportunity}", PEOPLE),
    ("sales", "/opportunities/{won}", PEOPLE),
    ("sales", "/opportunities/{lost}", PEOPLE),
    ("sales", "/opportunities/new", PEOPLE),
    ("sales", "/opportunities/new?customer_id={customer}", PEOPLE),
    ("sales", "/opportunities/{opportunity}/edit", PEOPLE),
    ("sales", "/plans/", PEOPLE),
    ("sales", "/plans/?day=2026-12-01", PEOPLE),
    ("salesdir", "/plans/team", PEOPLE),
    ("sales", "/plans/team", PEOPLE),
    ("agent", "/service/", PEOPLE),
    ("agent", "/service/requests/{service_request}", PEOPLE),
    ("admin", "/service/requests/{service_request}", PEOPLE),
    ("agent", "/engineers/", (*PEOPLE, *WEEKDAYS)),
    ("sales", "/notifications/", PEOPLE),
    ("sales", "/notifications/outbox?mine=1", PEOPLE),
    ("admin", "/notifications/", PEOPLE),
    ("admin", "/notifications/outbox", PEOPLE),
    # orders: the quote, contract, plan and project of the records below
    ("sales", "/quotes/", PEOPLE),
    ("sales", "/quotes/new", (*PEOPLE, *CURRENCIES)),
    ("sales", "/quotes/{quote}", PEOPLE),
    ("custdir", "/quotes/{quote}", PEOPLE),
    ("sales", "/quotes/{accepted_quote}", PEOPLE),
    ("sales", "/quotes/{quote}/edit", PEOPLE),
    ("sales", "/quotes/{quote}/lines/{quote_line}/edit", PEOPLE),
    ("sales", "/contracts/", PEOPLE),
    ("sales", "/contracts/{contract}", PEOPLE),
    ("custdir", "/contracts/{contract}", PEOPLE),
    ("custdir", "/contracts/templates?id={template}", (*PEOPLE, *TEMPLATE_PLACEHOLDERS)),
    ("sales", "/projects/", PEOPLE),
    ("sales", "/projects/{project}", PEOPLE),
    ("finance", "/payments/plans/{plan}", PEOPLE),
    ("sales", "/payments/plans/{plan}", PEOPLE),
    ("finance", "/payments/receivables", PEOPLE),
    ("finance", "/products/costs", PEOPLE),
    ("salesdir", "/kpi/targets?year=2026", (*PEOPLE, "Sales")),
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
        edit_opportunity(session, opportunity, "sales", version=opportunity.version, name="二号线改造", stage=3,
                         amount=Decimal("130000"), probability=45, expected_close=dt.date(2027, 3, 31),
                         source="exhibition", products=[])
        won = create_opportunity(session, customer, "三号线", Decimal("80000"), "sales", owner=sam, stage=8)
        close_opportunity(session, won, True, "sales")
        lost = create_opportunity(session, customer, "四号线", Decimal("50000"), "sales", owner=sam, stage=2)
        close_opportunity(session, lost, False, "sales", reason="价格太高")
        done = plan_activity(session, customer, sam, "visit", "拜访", dt.date(2026, 12, 1))
        complete_activity(session, done, "有意向", next_action="寄样品", next_action_date=dt.date(2026, 12, 8))
        save_plan_notes(session, sam, dt.date(2026, 12, 1), "重点跟进")
        director = session.scalar(select(User).where(User.username == "salesdir"))
        comment_plan(session, sam, dt.date.today(), director, "很好")
        service_request = _settled_service_request(session, customer)
        add_notification(session, sam, "新任务：拜访计划", "北京世纪重工有限公司", link="/worklist/")
        session.add_all([OutboxMessage(channel=channel, user_id=sam.id, address=address, subject="付款提醒",
                                       body="请安排预付款", status=status)
                         for channel, address, status in (("email", "sales@example.com", "sent"),
                                                          ("sms", "", "undeliverable"), ("sms", "+86 138", "kept"))])
        session.flush()
        return {"customer": customer.id, "duplicate": duplicate.id, "contact": contact.id,
                "opportunity": opportunity.id, "won": won.id, "lost": lost.id, "sales": sam.id,
                "service_request": service_request.id, **_orders(session, customer, sam)}


def _settled_service_request(session, customer) -> service_desk.ServiceRequest:
    """A classified repair request with a booked, finished, followed-up (complaint) and settled service order."""
    eve = session.scalar(select(User).where(User.username == "engineer"))
    engineer = engineers.add_engineer(session, eve, ["hydraulics", "hull"])
    request = service_desk.register_request(session, customer.id, "phone", "repair", "液压舵机漏油", created_by="agent")
    service_desk.classify(request, "repair", "high", "service_order")
    monday = dt.date.today() + dt.timedelta(days=7 - dt.date.today().weekday())
    starts_at = dt.datetime.combine(monday, dt.time(10, 0))
    order = service_desk.create_order(session, request, [], free_service=False, required_skill="hydraulics",
                                      planned_hours=Decimal(3), scheduled_start=starts_at, labour_rate=Decimal(280))
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
        rates = ServicePolicy(Decimal(280), Decimal(100), Decimal(100), Decimal(100), version=1)  # a table's row
        settlements.settle(session, order, "standard", rates, Decimal(10), settled_by="finance",
                           today=dt.date.today(), discount_version=1)
    return request


def _orders(session, customer, sam) -> dict[str, int]:
    """A draft quote, an accepted one made into a contract with a payment plan (an instalment overdue, one paid
    in part, a reminder kept) and the contract's project with a milestone."""
    today = zones.site_today()
    quote = quotes.create_quote(session, customer, sam, "二号线改造报价", today + dt.timedelta(days=30),
                                tax_percent=Decimal(13))
    line = quotes.add_line(session, quote, Decimal(2), description="液压站", unit_price=Decimal("1234.50"))
    accepted = quotes.create_quote(session, customer, sam, "三号船体分段", today + dt.timedelta(days=30))
    quotes.add_line(session, accepted, Decimal(1), description="船体分段焊接", unit_price=Decimal("50000"))
    quotes.set_status(accepted, "accepted", today)
    contract = contracts.from_quote(session, accepted, payment_terms="预付 30%，交付后付清")
    template = ContractTemplate(name="标准合同",
                                body="<h1>销售合同 {{ contract.number }}</h1><p>{{ contract.amount|money }}</p>")
    session.add(template)
    plan = payments.create_plan(session, customer, [
        payments.LineSpec("预付款", today - dt.timedelta(days=40), percent=Decimal(30)),
        payments.LineSpec("尾款", today + dt.timedelta(days=60), percent=Decimal(70))],
        contract=contract, title="预付款及尾款")
    payments.record_payment(session, plan.lines[1].id, Decimal("1000"), today, reference="银行转账", recorded_by="财务")
    reminders.record(session, "payment_overdue", "预付款已逾期", ["finance"], sent=True, plan_line_id=plan.lines[0].id)
    reminders.record(session, "approval_request", "合同待审批", ["custdir"], sent=False, contract_id=contract.id)
    project = projects.create_project(session, "三号船体分段项目", customer, sam, contract=contract,
                                      planned_delivery=today + dt.timedelta(days=90))
    projects.add_milestone(session, project, "龙骨铺设", today + dt.timedelta(days=20))
    session.flush()
    return {"quote": quote.id, "quote_line": line.id, "accepted_quote": accepted.id, "contract": contract.id,
            "plan": plan.id, "project": project.id, "template": template.id}


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


def test_a_chinese_user_sees_the_sales_pages_in_chinese(login, records):
    """Pipeline, opportunity pages and form, daily and team plans in Chinese, with Chinese dates and ¥ amounts;
    stored keys (statuses, sources, history notes) shown as their labels, refusals in Chinese."""
    sales = login("sales")
    sales.post("/language", data={"language": "zh_CN", "next": "/"})
    board = sales.get("/opportunities/").get_data(as_text=True)
    assert "商机漏斗" in board and "新建商机" in board and "¥130,000.00" in board and "2027年3月31日" in board
    opportunity = sales.get(f"/opportunities/{records['opportunity']}").get_data(as_text=True)
    assert "阶段历史" in opportunity and "预计成交日期" in opportunity and "展会" in opportunity
    assert "已创建" in opportunity and "已编辑" in opportunity and "data-status>进行中<" in opportunity
    assert "exhibition" not in opportunity and "edited" not in opportunity and ">open<" not in opportunity
    won = sales.get(f"/opportunities/{records['won']}").get_data(as_text=True)
    assert "已赢单" in won and "创建报价" in won and "下一步：报价。" in won
    lost = sales.get(f"/opportunities/{records['lost']}").get_data(as_text=True)
    assert "丢单原因" in lost and "价格太高" in lost and ">lost<" not in lost
    form = sales.get("/opportunities/new").get_data(as_text=True)
    assert "新建商机" in form and "— 请选择 —" in form and "转介绍" in form
    edit = sales.get(f"/opportunities/{records['opportunity']}/edit").get_data(as_text=True)
    assert "编辑商机" in edit and "预计成交日期" in edit and 'value="exhibition" selected>展会<' in edit
    refused = sales.post("/opportunities/new", data={"customer_id": records["customer"], "name": "",
                                                     "stage": "1", "amount": "-1"}).get_data(as_text=True)
    assert "请填写名称。" in refused and "金额不能为负数。" in refused
    page = f"/opportunities/{records['opportunity']}"
    sales.post(f"{page}/close", data={"result": "lost", "reason": ""})
    assert "请说明丢单原因" in sales.get(page).get_data(as_text=True)
    moved = sales.api("POST", f"{page}/stage", json={"stage": 12})
    assert moved.status_code == 400 and moved.get_json()["error"] == "没有第 12 阶段"
    day = sales.get("/plans/?day=2026-12-01").get_data(as_text=True)
    assert "我的日程：2026年12月1日星期二" in day and "下一步：寄样品 2026年12月8日" in day and "重点跟进" in day
    assert "已完成" in day and "加入计划" in day
    team = login("salesdir")
    team.post("/language", data={"language": "zh_CN", "next": "/"})
    plans = team.get("/plans/team").get_data(as_text=True)
    assert "团队计划" in plans and "很好" in plans and "计划中" in plans and "保存点评" in plans


def test_a_chinese_agent_sees_the_service_pages_in_chinese(login, records):
    agent = login("agent")
    agent.post("/language", data={"language": "zh_CN", "next": "/"})
    listing = agent.get("/service/").get_data(as_text=True)
    assert "服务请求" in listing and "电话" in listing and "维修" in listing and "已结算" in listing
    page = agent.get(f"/service/requests/{records['service_request']}").get_data(as_text=True)
    assert "紧急程度：高" in page and "液压" in page and "服务态度 4/5" in page and "补偿折扣 5%" in page
    assert "标准费率：人工" in page and "in_service" not in page and "hydraulics" not in page
    assert "星期一" in agent.get("/engineers/").get_data(as_text=True)


def test_the_modeler_page_has_no_unmarked_text(platform, login):
    """The process owner's modeler (its scripts' words are checked in tests/browser/test_modeler_rules.py):
    the process's name, key and file name are data."""
    deploy(platform, chain())
    owner = login("owner")
    with pseudo_translations():
        answer = owner.get(f"/processes/{KEY}/edit")
    assert answer.status_code == 200
    assert unmarked_text(answer.get_data(as_text=True), (*LANGUAGE_NAMES, DEMO_USERS["owner"][0], "Discount approval",
                                                          KEY, FILE)) == []


def test_a_chinese_user_sees_the_order_pages_in_chinese(login, records):
    sales = login("sales")
    sales.post("/language", data={"language": "zh_CN", "next": "/"})
    quote = sales.get(f"/quotes/{records['quote']}").get_data(as_text=True)
    assert "报价单" in quote and "草稿" in quote and "小计" in quote and "¥2,789.97" in quote
    contract = sales.get(f"/contracts/{records['contract']}").get_data(as_text=True)
    assert "提交审批" in contract and "回款计划" in contract and "审批请求" in contract and "未发送" in contract
    plan = sales.get(f"/payments/plans/{records['plan']}").get_data(as_text=True)
    assert "部分回款" in plan and "逾期 40 天" in plan and "合计" in plan
    project = sales.get(f"/projects/{records['project']}").get_data(as_text=True)
    assert "投标" in project and "里程碑" in project and "龙骨铺设" in project
    receivables = sales.get("/payments/receivables").get_data(as_text=True)
    assert "应收账款" in receivables and "未到期" in receivables and "逾期 31–60 天" in receivables
    refused = sales.post(f"/quotes/{records['quote']}/lines", data={"quantity": "许多", "description": "x",
                                                                     "unit_price": "1"}, follow_redirects=True)
    assert "数量：'许多' 不是数字" in html.unescape(refused.get_data(as_text=True))
