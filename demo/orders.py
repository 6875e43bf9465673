"""Orders and service demo data: catalogue, quotes, contracts in approval, payment plans with overdue lines,
a project, engineers with bookings, and service requests stopped at several steps. Deterministic for a day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.accounts.access import create_user
from crm.accounts.users import User
from crm.customers.models import Customer
from crm.orders import contracts, payments, projects, quotes
from crm.orders.catalog import Product, add_product
from crm.orders.contract_documents import save_template
from crm.orders.document_wording import CONTRACT_TEMPLATES, document_language
from crm.service.engineers import add_engineer, book
from demo.users import DEMO_PASSWORD
from demo.vocabulary import vocabulary
from engine.models import HumanTask
from engine.runtime import Actor
from i18n import _, _l, current_locale, zones

PRODUCTS = (
    ("HULL-40", _l("40 m patrol vessel hull"), "product", "2850000.00", ""),
    ("ENG-2000", _l("2000 kW main engine"), "product", "1234567.89", ""),
    ("NAV-PKG", _l("Integrated navigation package"), "product", "386500.00", ""),
    ("SVC-INSPECT", _l("Inspection"), "service_item", "450.00", "hull"),
    ("SVC-REPAIR", _l("Repair work"), "service_item", "1200.00", "propulsion"),
    ("SVC-PARTS", _l("Spare parts kit"), "service_item", "333.33", "electrical"),
    ("SVC-COMMISSION", _l("Commissioning"), "service_item", "2000.00", "automation"),
    ("SVC-TRAINING", _l("Crew training"), "service_item", "800.00", "automation"),
)
TEMPLATE_NAMES = {"zh_CN": "标准销售合同", "en": "Standard sales contract"}
"""The standard contract template in each document language (its name in its own language)."""
OWN_CUSTOMERS = (("key", _l("Blue Whale Lines")), ("ordinary", _l("Harbour Ferries")),
                 ("prospect", _l("New Tide Shipping")))


def load(platform, session: Session, users: dict[str, User]) -> str:
    """Add the orders and service demo records and processes (skipped if they are there already)."""
    if session.scalar(select(Product.id).where(Product.code == "HULL-40")) is not None:
        return "orders demo data already loaded"
    today = zones.site_today()
    actors = {name: Actor(user.username, user.role_keys) for name, user in users.items()}
    customers = _customers(session, users["sales"])
    catalogue = {code: add_product(session, code, str(name), Decimal(price), kind=kind, skill=skill)
                 for code, name, kind, price, skill in PRODUCTS}
    templates = {language: save_template(session, name, CONTRACT_TEMPLATES[language], language=language)
                 for language, name in TEMPLATE_NAMES.items()}
    template = templates[document_language(current_locale())]
    run = _Runner(platform, session, actors)
    signed = _contracts(session, run, customers, catalogue, template, users["sales"], today)
    collections = _plan(session, run, signed, users, today)
    engineers = _engineers(session, users, today)
    requests = _service(run, customers, today)
    return (f"orders: {len(PRODUCTS)} catalogue entries, 4 quotes, 3 contracts, {collections} payment "
            f"collections, {engineers} engineers (engineer2 / {DEMO_PASSWORD!r}), {requests} service requests")


class _Runner:
    """Starts processes and completes their tasks as the lane's user would (values typed as the forms give them)."""

    def __init__(self, platform, session: Session, actors: dict[str, Actor]):
        self.engine, self.session, self.actors = platform.engine, session, actors

    def start(self, key: str, actor: str, data: dict) -> int:
        return self.engine.start(self.session, key, data, self.actors[actor]).id

    def do(self, instance_id: int, task: str, actor: str, **values) -> None:
        row = self.session.scalar(select(HumanTask).where(HumanTask.instance_id == instance_id,
                                                          HumanTask.task_name == task, HumanTask.status == "ready"))
        self.engine.complete(self.session, row.id, values, self._actor(row.assignee or actor))

    def _actor(self, username: str) -> Actor:
        """A demo user's actor; the task's assignee may be one created here (``engineer2``)."""
        if username not in self.actors:
            user = self.session.scalar(select(User).where(User.username == username))
            self.actors[username] = Actor(user.username, user.role_keys)
        return self.actors[username]


def _customers(session: Session, sales: User) -> dict[str, Customer]:
    """The first customer of each grade (the sales demo's, if loaded), creating those missing."""
    found = {}
    for grade, company in OWN_CUSTOMERS:
        customer = session.scalar(select(Customer).where(Customer.grade == grade, Customer.owner_id == sales.id)
                                  .order_by(Customer.id).limit(1))
        if customer is None:
            words = vocabulary(current_locale())
            customer = Customer(company=str(company), grade=grade, owner=sales, region=words.regions[0],
                                industry=words.industries[0], address=_("1 Harbour Road"), phone="+86 21 5555 0100")
            session.add(customer)
            session.flush()
        found[grade] = customer
    return found


def _quote(session, customer, owner, title, lines, today, *, status="draft", catalogue) -> quotes.Quote:
    quote = quotes.create_quote(session, customer, owner, title, today + dt.timedelta(days=30),
                                discount_percent=Decimal("3"), tax_percent=Decimal("13"))
    for code, quantity in lines:
        quotes.add_line(session, quote, Decimal(quantity), product=catalogue[code])
    for step in {"draft": (), "sent": ("sent",), "accepted": ("sent", "accepted")}[status]:
        quotes.set_status(quote, step, today)
    return quote


def _contracts(session, run: _Runner, customers, catalogue, template, sales, today) -> contracts.Contract:
    """Quotes at each status; one contract waiting for the customer director, one at the finance review of a
    template contract, one signed. Returns the signed one."""
    _quote(session, customers["ordinary"], sales, _("Navigation refit"), [("NAV-PKG", 2)], today, catalogue=catalogue)
    _quote(session, customers["prospect"], sales, _("Second hull"), [("HULL-40", 1)], today, status="sent",
           catalogue=catalogue)
    waiting = contracts.from_quote(session, _quote(session, customers["key"], sales, _("Engine upgrade"),
                                                   [("ENG-2000", 2)], today, status="accepted", catalogue=catalogue),
                                   template=template, payment_terms=_("30 % advance, balance on delivery"))
    run.start("contract_approval", "sales", {"contract_id": waiting.id, "customer_id": waiting.customer_id})
    small = contracts.from_template(session, template, customers["prospect"], sales, _("Crew training package"),
                                    Decimal("96000.00"), payment_terms=_("Payable on completion"))
    run.start("contract_approval", "sales", {"contract_id": small.id, "customer_id": small.customer_id})
    signed = contracts.from_quote(session, _quote(session, customers["key"], sales, _("Two patrol vessels"),
                                                  [("HULL-40", 2), ("ENG-2000", 4)], today, status="accepted",
                                                  catalogue=catalogue),
                                  template=template, payment_terms="30 / 60 / 10", start_date=today - dt.timedelta(
                                      days=60), end_date=today + dt.timedelta(days=540))
    approval = run.start("contract_approval", "sales", {"contract_id": signed.id, "customer_id": signed.customer_id})
    run.do(approval, "ca_director_approval", "custdir", director_decision="approve", director_comment=_("Key account"))
    run.do(approval, "ca_sd_approval", "salesdir", sd_decision="approve")
    run.do(approval, "ca_sign", "sales", company_signed_on=today - dt.timedelta(days=55),
           customer_signed_on=today - dt.timedelta(days=56))
    return signed


def _plan(session, run: _Runner, contract, users, today) -> int:
    """A 30/60/10 plan: the advance overdue and partly paid, the rest due later; collection running."""
    plan = payments.create_plan(session, contract.customer, [
        payments.LineSpec(_("Advance"), today - dt.timedelta(days=40), percent=Decimal(30)),
        payments.LineSpec(_("Keel laid"), today + dt.timedelta(days=5), percent=Decimal(60)),
        payments.LineSpec(_("Delivery"), today + dt.timedelta(days=500), percent=Decimal(10)),
    ], contract=contract, created_by="finance")
    payments.record_payment(session, plan.lines[0].id, Decimal("1000000.00"), today - dt.timedelta(days=35),
                            reference="TT-20261", recorded_by="finance")
    project = projects.create_project(session, contract.title, contract.customer, users["sales"], contract=contract,
                                      planned_delivery=today + dt.timedelta(days=480))
    for name, days, done in ((_("Design approved"), -30, -32), (_("Keel laid"), 5, None), (_("Launch"), 300, None)):
        milestone = projects.add_milestone(session, project, name, today + dt.timedelta(days=days))
        if done is not None:
            projects.complete_milestone(milestone, today + dt.timedelta(days=done))
    projects.update_progress(project, "production", 18, today)
    for line in plan.lines:
        run.start("payment_collection", "finance", {"plan_line_id": line.id, "customer_id": plan.customer_id})
    return len(plan.lines)


def _engineers(session, users, today) -> int:
    """Two engineers with skills and working hours, and a few bookings around next Monday."""
    name = dict(vocabulary(current_locale()).users)["engineer2"]
    second = session.scalar(select(User).where(User.username == "engineer2")) or create_user(
        session, "engineer2", DEMO_PASSWORD, name, ["engineer"], email="engineer2@example.com",
        phone="+86 138 0000 0101")
    eve = add_engineer(session, users["engineer"], ["hull", "electrical", "propulsion", "hydraulics", "automation"])
    ed = add_engineer(session, second, ["hull", "electrical"], work_start=dt.time(7, 0), work_end=dt.time(15, 0))
    monday = today + dt.timedelta(days=7 - today.weekday())
    bookings = ((eve, 0, 8, 3, _("Sea trial support")), (ed, 0, 7, 4, _("Dock inspection")),
                (ed, 1, 9, 5, _("Training course")), (eve, 3, 13, 4, _("Warranty visit")))
    for engineer, day, hour, hours, note in bookings:
        start = zones.to_utc(dt.datetime.combine(monday + dt.timedelta(days=day), dt.time(hour)), zones.site_zone())
        book(session, engineer.id, start, start + dt.timedelta(hours=hours), note=note, created_by="agent")
    return 2


def _service(run: _Runner, customers, today) -> int:
    """Service requests: new, resolved by phone, awaiting confirmation, dispatched, and settled."""
    monday = zones.to_utc(dt.datetime.combine(today + dt.timedelta(days=7 - today.weekday()), dt.time(13, 0)),
                          zones.site_zone())  # the yard's 13:00, stored UTC

    def request(grade: str, channel: str, kind: str, text: str) -> int:
        return run.start("service_request", "agent", {"customer_id": customers[grade].id, "channel": channel,
                                                      "request_type": kind, "description": text,
                                                      "product_code": "ENG-2000"})

    def to_order(instance: int, skill: str, items: list[str], free: bool = False) -> None:
        run.do(instance, "sr_classify", "agent", request_type="repair", urgency="high", handling="service_order")
        run.do(instance, "sr_prepare", "agent", service_items=items, required_skill=skill, planned_hours=Decimal(2),
               scheduled_start=monday, free_service=free)

    request("ordinary", "web", "maintenance", _("Annual engine maintenance due next month"))
    phone = request("prospect", "phone", "consultation", _("How often should the filters be changed?"))
    run.do(phone, "sr_classify", "agent", request_type="consultation", urgency="low", handling="phone")
    run.do(phone, "sr_phone", "agent", resolution=_("Every 500 running hours; manual section 7.3 sent"), solved=True)
    to_order(request("key", "phone", "repair", _("Starboard generator trips under load")), "electrical",
             ["SVC-INSPECT", "SVC-PARTS"])
    dispatched = request("key", "booking", "repair", _("Propeller shaft vibration"))
    to_order(dispatched, "propulsion", ["SVC-REPAIR"], free=True)
    run.do(dispatched, "sr_dispatch", "agent")
    settled = request("ordinary", "complaint", "repair", _("Hydraulic steering leaks again"))
    to_order(settled, "hull", ["SVC-INSPECT"])
    run.do(settled, "sr_confirm", "agent", customer_confirmed=True)
    run.do(settled, "sr_dispatch", "agent", scheduled_start=monday + dt.timedelta(days=2))
    run.do(settled, "sr_carry_out", "engineer", labour_hours=Decimal("2.5"), materials_cost=Decimal("86.40"),
           materials_note=_("Seal kit"), work_report=_("Replaced the steering cylinder seals"))
    run.do(settled, "sr_follow_up", "agent", attitude=5, quality=4, complaint=False, follow_up_comment="")
    run.do(settled, "sr_settle", "finance", policy="standard", discount_percent=Decimal(5))
    return 5
