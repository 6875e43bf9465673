"""Sales demo data: customers with contacts and behaviour, a pipeline across all stages, daily plans, and
sales processes stopped at many steps so every sales lane's worklist has work. Deterministic (seeded)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.accounts.users import User
from crm.customers.behaviour import BEHAVIOUR_KINDS, BehaviourEvent
from crm.customers.models import Contact, Customer
from crm.sales.activities import ACTIVITY_KINDS, complete_activity, plan_activity
from crm.sales.opportunities import STAGES, close_opportunity, create_opportunity, move_to_stage
from demo.vocabulary import vocabulary
from engine.models import HumanTask
from engine.runtime import Actor
from i18n import _, current_locale

SEED = 20261124
CUSTOMERS = 220
SIZES = ("small", "medium", "large", "enterprise")
def load(platform, session: Session, users: dict[str, User]) -> str:
    """Add the sales demo records and running sales processes (skipped if they are there already)."""
    if session.scalar(select(BehaviourEvent.id).limit(1)) is not None:
        return "sales demo data already loaded"
    rng = random.Random(SEED)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    sellers = [users["sales"], users["sales2"]]
    customers = _customers(session, rng, sellers, now)
    opportunities = _pipeline(session, rng, customers, now)
    activities = _activities(session, rng, customers, now.date())
    instances = _processes(platform, session, rng, customers, users, now)
    events = session.scalar(select(BehaviourEvent.id).order_by(BehaviourEvent.id.desc()).limit(1))
    return (f"sales: {len(customers)} customers, {events} behaviour events, {opportunities} opportunities, "
            f"{activities} activities, {instances} sales processes")


def _customers(session: Session, rng: random.Random, sellers: list[User], now: dt.datetime) -> list[Customer]:
    words, english = vocabulary(current_locale()), vocabulary("en")
    customers, taken = [], set()
    for number in range(CUSTOMERS):
        name, prefix = words.company(rng, number, taken)
        domain = english.prefixes[prefix].split()[0].lower()
        roll = rng.random()
        customer = Customer(
            company=name, industry=rng.choice(words.industries), region=rng.choice(words.regions),
            size=rng.choice(SIZES), source=rng.choice(words.sources),
            grade="key" if roll < 0.1 else "ordinary" if roll < 0.4 else "prospect",
            relationship_type="relationship" if rng.random() < 0.3 else "occasional",
            phone=f"+86 21 {max(rng.randint(1000, 9999), 2000)} {rng.randint(1000, 9999)}",  # 2-9 in Shanghai
            email=f"info@{domain}{number + 1}.example.com", in_roster=rng.random() < 0.6,
            owner=rng.choice(sellers) if rng.random() < 0.95 else None,
            created_at=now - dt.timedelta(days=rng.randint(30, 900)),
        )
        for index in range(rng.randint(1, 3)):
            contact_name, surname = words.contact(rng, index)
            contact = Contact(name=contact_name, title=rng.choice(words.titles),
                              email=f"{english.surnames[surname].lower()}{index}@{domain}.example.com",
                              mobile=f"+86 139 {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}")
            customer.contacts.append(contact)
        customers.append(customer)
    session.add_all(customers)
    session.flush()
    events = []
    for customer in customers:
        for contact in customer.contacts:
            for _event in range(rng.randint(0, 5)):
                kind = rng.choice(tuple(BEHAVIOUR_KINDS))
                detail = {"web_visit": "/products/" + rng.choice(english.vessels).replace(" ", "-"),
                          "email_open": rng.choice((_("Newsletter spring"), _("Newsletter summer"),
                                                    _("Newsletter autumn"))),
                          "link_click": _("Brochure: %(vessel)s", vessel=rng.choice(words.vessels)),
                          "seminar": rng.choice((_("LNG seminar, Shanghai"), _("Green shipping forum, Busan")))}[kind]
                events.append(BehaviourEvent(contact_id=contact.id, customer_id=customer.id, kind=kind, detail=detail,
                                             at=now - dt.timedelta(hours=rng.randint(1, 24 * 90))))
    session.add_all(events)
    session.flush()
    return customers


def _pipeline(session: Session, rng: random.Random, customers: list[Customer], now: dt.datetime) -> int:
    words = vocabulary(current_locale())
    owned = [c for c in customers if c.owner is not None]
    count = 0
    for number in range(150):
        customer = rng.choice(owned)
        by = customer.owner.username
        amount = Decimal(rng.randint(5, 400) * 100_000)
        created = now - dt.timedelta(days=rng.randint(20, 300))
        target = STAGES[number % len(STAGES)].number
        title = _("%(count)s x %(vessel)s", count=rng.randint(1, 4), vessel=rng.choice(words.vessels))
        opp = create_opportunity(session, customer, title, amount, by,
                                 expected_close=(now + dt.timedelta(days=rng.randint(-30, 360))).date(), at=created,
                                 stage=max(target - 1, 1))
        if target > 1:
            analysis = rng.choice((_("Budget confirmed"), _("Competitor active")))
            move_to_stage(session, opp, target, by, analysis=analysis)
        if number % 10 in (7, 8):  # closed some time after it was created: the KPIs' sales cycle and win rate
            won = number % 10 == 7
            close_opportunity(session, opp, won, by,
                              reason="" if won else rng.choice((_("Price"), _("Delivery time"), _("Lost to rival"))))
            opp.closed_at = created + dt.timedelta(days=rng.randint(1, (now - created).days))
        count += 1
    return count


def _activities(session: Session, rng: random.Random, customers: list[Customer], today: dt.date) -> int:
    words = vocabulary(current_locale())
    owned = [c for c in customers if c.owner is not None]
    count = 0
    for offset in range(-20, 3):
        day = today + dt.timedelta(days=offset)
        for seller in {c.owner.id: c.owner for c in owned}.values():
            mine = [c for c in owned if c.owner_id == seller.id]
            for _activity in range(rng.randint(2, 4)):
                customer = rng.choice(mine)
                kind = rng.choice(tuple(ACTIVITY_KINDS))
                vessel = rng.choice(words.vessels)
                activity = plan_activity(session, customer, seller, kind,
                                         _("%(vessel)s requirements", vessel=vessel[:1].upper() + vessel[1:]), day)
                if offset < 0 or (offset == 0 and rng.random() < 0.5):
                    complete_activity(session, activity, rng.choice((_("Interested"), _("Asked for a quote"),
                                                                     _("Call back next month"))),
                                      at=dt.datetime.combine(day, dt.time(rng.randint(9, 17))))
                count += 1
    return count


# -- processes in flight ------------------------------------------------------------------------------------------
def _processes(platform, session: Session, rng: random.Random, customers: list[Customer], users: dict[str, User],
               now: dt.datetime) -> int:
    actors = {name: Actor(user.username, user.role_keys) for name, user in users.items()}
    owned = [c for c in customers if c.owner is not None and c.owner.username == "sales"]
    today = now.date()
    in_flight = flows(today, now)
    count = 0
    for key, (starter, start_data, steps, stops) in in_flight.items():
        for stop in stops:
            customer = rng.choice(owned)
            data = {"customer_id": customer.id, **start_data}
            if "contact_id" in data:
                data["contact_id"] = customer.contacts[0].id
            instance = platform.engine.start(session, key, data, actors[starter])
            for task_name, values in steps[:stop]:
                complete_step(platform, session, instance, task_name, values, actors)
            count += 1
    return count


def complete_step(platform, session: Session, instance, task_name: str, values: dict, actors: dict) -> None:
    task = session.scalar(select(HumanTask).where(HumanTask.instance_id == instance.id,
                                                  HumanTask.task_name == task_name, HumanTask.status == "ready"))
    if task is None:
        raise LookupError(f"demo: {task_name} is not ready in instance {instance.id}")
    form = platform.forms.task_form(instance.version, task_name)
    data = {f.id: values.get(f.id) for f in form.fields if not f.readonly}
    actor = {"salesperson": "sales", "information_officer": "info", "customer_director": "custdir",
             "sales_director": "salesdir", "marketing_director": "mktdir", "finance": "finance",
             "engineer": "engineer"}[task.role] if task.assignee is None else task.assignee
    platform.engine.complete(session, task.id, data, actors[actor])


def flows(today: dt.date, now: dt.datetime) -> dict[str, tuple[str, dict, list[tuple[str, dict]], tuple[int, ...]]]:
    """Per process: who starts it, the start data, the steps, and after how many steps each instance stops
    (chosen so that every lane has work; a stop after the last step is a finished instance)."""
    soon = today + dt.timedelta(days=10)
    money = Decimal
    return {
        "relationship_maintenance": ("sales", {"customer_info": _("Met at the Marintec fair; new fleet plans")}, [
            ("rm_collect", {"region": vocabulary(current_locale()).regions[0]}),
            ("rm_draft_plan", {"plan_content": _("Quarterly visits, annual technical seminar"), "visits_per_year": 4,
                               "plan_budget": money("20000"), "service_items": ["regular_visits", "seminars"]}),
            ("rm_review_plan", {"review_decision": "approve"}),
            ("rm_approve_plan", {"approval_decision": "approve"}),
            ("rm_carry_out", {"outcome": _("Visited twice, seminar held")}),
        ], (0, 2, 3, 4, 5)),
        "customer_visit": ("sales", {"purpose": _("Present the new hull design"), "contact_id": None}, [
            ("cv_draft_plan", {"planned_date": soon, "objectives": _("Design review, delivery slots"),
                               "budget": money("60000")}),
            ("cv_director_approval", {"director_decision": "approve"}),
            ("cv_marketing_approval", {"marketing_decision": "approve"}),
            ("cv_pay_advance", {"advance_amount": money("10000"), "advance_paid_on": today}),
            ("cv_prepare", {"preparation_notes": _("Samples and brochures")}),
            ("cv_visit", {"visited_on": today, "needs": _("Two feeders in 2028"), "gift_value": money("500"),
                          "next_visit_date": soon, "next_visit_plan": _("Technical exchange")}),
            ("cv_write_report", {"report": _("Good meeting; shortlist likely"), "travel_cost": money("6000"),
                                 "meal_cost": money("1500"), "gift_cost": money("500")}),
            ("cv_review_report", {"report_decision": "accept"}),
            ("cv_check_report", {"report_checked": True}),
            ("claim_review", {"claim_decision": "approve", "approved_amount": money("8000")}),
            ("claim_pay", {"paid_on": today, "payment_reference": "PAY-2026-001"}),
        ], (0, 1, 2, 5, 7, 9, 10, 11)),
        "customer_reception": ("info", {"purpose": _("Shipyard tour"), "arrival_date": soon, "guest_count": 4,
                                        "guests": _("Delegation of four")}, [
            ("cr_draft_plan", {"arrival_date": soon, "guest_count": 4, "agenda": _("Tour, dinner, hotel"),
                               "budget": money("15000")}),
            ("cr_director_approval", {"director_decision": "approve", "arrangements": _("Dinner at the yard club")}),
            ("cr_prepare", {"preparation_notes": _("Rooms and cars booked")}),
            ("cr_pay_advance", {"advance_amount": money("8000"), "advance_paid_on": today}),
            ("cr_host", {"greeted": True, "led_to_venue": True, "reception_held": True, "seen_off": True,
                         "reception_notes": _("Went well")}),
            ("cr_write_report", {"report": _("Interested in LNG carriers"), "meal_cost": money("6000")}),
        ], (0, 1, 2, 6)),
        "bidding": ("sales", {"project": _("Two 82k DWT bulk carriers"), "estimated_value": money("90000000"),
                              "deadline": now + dt.timedelta(days=20), "documents": _("Tender portal"),
                              "bid_manager": None, "technical_lead": None}, [
            ("bd_recommend", {"recommendation": "bid", "reasons": _("Fits our slots")}),
            ("bd_director_decision", {"bid_decision": "bid"}),
            ("bd_sales_director", {"sales_director_decision": "bid"}),
            ("bd_buy_documents", {"documents_bought_on": today, "bond_amount": money("500000")}),
            ("bd_pay_bond", {"bond_amount": money("500000"), "bond_paid_on": today, "bond_reference": "BB-1"}),
            ("bd_technical", {"technical_summary": _("Standard design, scrubber ready"), "compliance": "full"}),
            ("bd_commercial", {"bid_price": money("88000000")}),
            ("bd_price_review", {"price_decision": "approve"}),
        ], (0, 1, 2, 4, 5, 7, 8)),
    }
