"""What the pipeline and daily-plan pages ask: one opportunity, one planned activity."""

from __future__ import annotations

from sqlalchemy.orm import Session

from crm.sales.activities import Activity
from crm.sales.opportunities import Opportunity


def opportunity_by_id(session: Session, opportunity_id: int) -> Opportunity | None:
    """The opportunity with this id (callers check the data scope)."""
    return session.get(Opportunity, opportunity_id)


def activity_of(session: Session, activity_id: int, owner_id: int) -> Activity | None:
    """The activity with this id if ``owner_id`` planned it, else None."""
    activity = session.get(Activity, activity_id)
    return activity if activity is not None and activity.owner_id == owner_id else None
