"""A year of history for the Reports page: a signed contract for each won opportunity, finished service orders
with follow-ups and complaints, and visit and reception expense claims. Runs after the sales and orders demos;
deterministic (seeded), dates relative to today."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from crm.accounts.users import User
from crm.customers.models import Customer
from crm.numbering import assign_number
from crm.orders.contracts import Contract
from crm.sales.expenses import create_claim, review_claim
from crm.sales.opportunities import Opportunity
from crm.service import service_desk
from crm.service.engineers import book, engineers
from i18n import _, _l, zones
from services.service import policies

SEED = 20261201
FAILURES = (("repair", "ENG-2000", _l("Main engine overheats")), ("repair", "NAV-PKG", _l("Radar display freezes")),
            ("maintenance", "HULL-40", _l("Hull inspection after grounding")),
            ("complaint", "ENG-2000", _l("Spare part late")))
CAUSES = ("product_quality", "service_quality", "delivery", "billing")
SERVICE_DAYS_AGO = range(300, 0, -15)
"""When the finished service orders were done: twice a month for ten months."""


def load(platform, session: Session, users: dict[str, User]) -> str:
    """Add the history (skipped if it is there already); needs the sales and orders demos' records."""
    prefixes = {"Signed: ", _("Signed: %(name)s", name="")}  # loaded in English or in this language
    if session.scalar(select(Contract.id).where(or_(*(Contract.title.startswith(p) for p in prefixes))).limit(1)):
        return "history demo data already loaded"
    rng = random.Random(SEED)
    today = zones.site_today()
    contracts = _contracts(session)
    customers = list(session.scalars(select(Customer).where(Customer.owner_id.is_not(None)).order_by(Customer.id)))
    orders = _service(session, rng, customers, today)
    claims = _claims(session, rng, customers, [users["sales"], users["sales2"]], today)
    return f"history: {contracts} signed contracts, {orders} finished service orders, {claims} expense claims"


def _contracts(session: Session) -> int:
    """Each won opportunity became a contract, signed by both sides on the day it was won."""
    won = list(session.scalars(select(Opportunity).where(Opportunity.status == "won").order_by(Opportunity.id)))
    for opp in won:
        signed = opp.closed_at.date()
        contract = Contract(customer=opp.customer, owner=opp.owner, title=_("Signed: %(name)s", name=opp.name),
                            amount=opp.amount, status="active", start_date=signed, approved_at=opp.closed_at,
                            company_signed_on=signed, customer_signed_on=signed, created_at=opp.created_at)
        assign_number(session, contract, "C")
    return len(won)


def _weekday_at(today: dt.date, days_ago: int, hour: int) -> dt.datetime:
    day = today - dt.timedelta(days=days_ago)
    day -= dt.timedelta(days=max(day.weekday() - 4, 0))  # a weekend day moves back to Friday
    return zones.to_utc(dt.datetime.combine(day, dt.time(hour)), zones.site_zone())  # the yard's hour, stored UTC


def _service(session: Session, rng: random.Random, customers: list[Customer], today: dt.date) -> int:
    """Finished service orders booked to the demo engineers, followed up, some with a complaint's cause."""
    staff = engineers(session)
    for days_ago in SERVICE_DAYS_AGO:
        kind, product, text = rng.choice(FAILURES)
        start = _weekday_at(today, days_ago, rng.choice((9, 10, 11)))
        text = str(text)
        request = service_desk.register_request(session, rng.choice(customers).id, "phone", kind, text,
                                                product_code=product, created_by="agent")
        request.created_at = start - dt.timedelta(days=2)
        if kind == "complaint" or rng.random() < 0.3:
            service_desk.record_complaint(request, rng.choice(CAUSES), _("Apologised and followed up"))
        order = service_desk.create_order(session, request, ["SVC-INSPECT"], free_service=False,
                                          required_skill="hull", planned_hours=Decimal(2), scheduled_start=start,
                                          labour_rate=policies.current_policy(session, "standard").labour_rate)
        service_desk.record_confirmation(order, True)
        book(session, rng.choice(staff).id, start, start + dt.timedelta(hours=2), order_id=order.id, note=text,
             created_by="agent")
        service_desk.record_work(order, Decimal(rng.choice(("1.5", "2", "2.5", "3"))), Decimal(0), "", _("Done"))
        order.completed_at = start + dt.timedelta(hours=2)
        follow_up = service_desk.record_follow_up(session, order, rng.randint(3, 5), rng.randint(2, 5), False, "",
                                                  "agent")
        follow_up.created_at = order.completed_at + dt.timedelta(days=3)
        service_desk.close(request, "closed", _("Repaired"))
        request.closed_at = follow_up.created_at
    return len(SERVICE_DAYS_AGO)


def _claims(session: Session, rng: random.Random, customers: list[Customer], claimants: list[User],
            today: dt.date) -> int:
    """A visit or reception expense claim each month per salesperson, approved."""
    count = 0
    for days_ago in range(330, 0, -30):
        for claimant in claimants:
            customer = rng.choice([c for c in customers if c.owner_id == claimant.id] or customers)
            claim = create_claim(session, claimant=claimant, customer_id=customer.id,
                                 subject=rng.choice(("visit", "reception")), subject_id=None, advance=Decimal(0),
                                 costs={"travel": Decimal(rng.randint(20, 80) * 100),
                                        "meals": Decimal(rng.randint(5, 30) * 100)})
            review_claim(session, claim, True, None)
            claim.created_at = dt.datetime.combine(today - dt.timedelta(days=days_ago), dt.time(12))
            count += 1
    return count
