"""Sales performance of one customer over the last year: the facts the grading rules decide on."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm.base import utcnow
from crm.customers.behaviour import BehaviourEvent
from crm.sales.activities import Activity
from crm.sales.opportunities import Opportunity
from crm.sales.tenders import Tender
from crm.sales.visits import Reception, Visit

YEAR = dt.timedelta(days=365)
QUARTER = dt.timedelta(days=90)


def customer_performance(session: Session, customer_id: int, now: dt.datetime | None = None) -> dict:
    """Won revenue, open pipeline and interactions (activities done, visits, receptions, and the contacts' own
    e-mail opens, link clicks, web visits and seminars) in the last year; the contacts' own in the last 90 days.

    Orders and payments join these figures once the orders module records them per customer.
    """
    since = (now or utcnow()) - YEAR

    def count(query) -> int:
        return session.scalar(select(func.count()).select_from(query.subquery())) or 0

    revenue = session.scalar(select(func.coalesce(func.sum(Opportunity.amount), 0)).where(
        Opportunity.customer_id == customer_id, Opportunity.status == "won", Opportunity.closed_at >= since))
    pipeline = session.scalar(select(func.coalesce(func.sum(Opportunity.amount), 0)).where(
        Opportunity.customer_id == customer_id, Opportunity.status == "open"))
    activities = count(select(Activity.id).where(
        Activity.customer_id == customer_id, Activity.status == "done", Activity.done_at >= since))
    visits = count(select(Visit.id).where(Visit.customer_id == customer_id, Visit.created_at >= since))
    receptions = count(select(Reception.id).where(Reception.customer_id == customer_id,
                                                  Reception.created_at >= since))
    tenders_won = count(select(Tender.id).where(Tender.customer_id == customer_id, Tender.status == "won"))
    behaviour = count(select(BehaviourEvent.id).where(BehaviourEvent.customer_id == customer_id,
                                                      BehaviourEvent.at >= since))
    recent_behaviour = count(select(BehaviourEvent.id).where(BehaviourEvent.customer_id == customer_id,
                                                             BehaviourEvent.at >= (now or utcnow()) - QUARTER))
    return {
        "revenue": str(Decimal(revenue).quantize(Decimal("0.01"))),
        "open_pipeline": str(Decimal(pipeline).quantize(Decimal("0.01"))),
        "activities": activities, "visits": visits, "receptions": receptions, "tenders_won": tenders_won,
        "behaviour": behaviour, "behaviour_90_days": recent_behaviour,
        "interactions": activities + visits + receptions + behaviour,
    }
