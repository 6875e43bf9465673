"""What the pipeline, opportunity and daily-plan pages ask: one opportunity, its tender and quotes, one activity."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from crm.accounts.users import User
from crm.orders.quotes import Quote
from crm.sales.activities import Activity
from crm.sales.opportunities import Opportunity
from crm.sales.tenders import Tender, tender_of_opportunity


def opportunity_by_id(session: Session, opportunity_id: int) -> Opportunity | None:
    """The opportunity with this id, with its customer and owner (callers check the data scope)."""
    return session.get(Opportunity, opportunity_id,
                       options=[joinedload(Opportunity.customer), joinedload(Opportunity.owner).lazyload(User.roles)])


def activity_of(session: Session, activity_id: int, owner_id: int) -> Activity | None:
    """The activity with this id if ``owner_id`` planned it, else None."""
    activity = session.get(Activity, activity_id)
    return activity if activity is not None and activity.owner_id == owner_id else None


def tender_of(session: Session, opportunity_id: int) -> Tender | None:
    """The tender of the bidding flow this opportunity tracks, if any."""
    return tender_of_opportunity(session, opportunity_id)


def quotes_of_opportunity(session: Session, opportunity_id: int) -> list[Quote]:
    """The quotes made for this opportunity, newest first."""
    return list(session.scalars(select(Quote).where(Quote.opportunity_id == opportunity_id).order_by(Quote.id.desc())))
