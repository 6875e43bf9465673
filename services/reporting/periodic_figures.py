"""The objective part of a salesperson's periodic report: what their records say about the period.

New customers, activities done (by kind, with outcomes), visits and receptions, opportunities created, advanced,
won and lost (with amounts), quotes and contracts, the plan (activities planned for the period: done vs planned)
and what was overdue when the report was made. Amounts are decimal strings, so the figures keep as JSON.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from crm.accounts.users import User
from crm.customers.models import Customer
from crm.orders.contracts import Contract
from crm.orders.quotes import Quote, quote_totals
from crm.sales.activities import ACTIVITY_KINDS, Activity
from crm.sales.opportunities import Opportunity, StageChange
from crm.sales.visits import Reception, Visit
from engine.models import HumanTask
from i18n import _, pgettext
from services.reporting.periods import Period, utc_bounds

HELD_RECEPTIONS = ("held", "reported", "closed")
MAX_ITEMS = 100
"""At most this many activities with outcomes are listed (the counts include all)."""


def period_figures(session: Session, owner: User, period: Period, zone: ZoneInfo, now: dt.datetime) -> dict[str, Any]:
    """Every section of ``owner``'s report for ``period`` (days in ``zone``); overdue counts as of ``now``."""
    since, until = utc_bounds(period, zone)
    return {
        "period": {"kind": period.kind, "start": period.start.isoformat(), "end": period.end.isoformat(),
                   "label": period.label},
        "new_customers": _new_customers(session, owner.id, since, until),
        "activities": _activities(session, owner.id, since, until, zone),
        "visits": _visits(session, owner.id, period),
        "receptions": _receptions(session, owner.id, period),
        "opportunities": _opportunities(session, owner.id, since, until),
        "quotes": _quotes(session, owner.id, since, until),
        "contracts": _contracts(session, owner.id, since, until),
        "plan": _plan(session, owner.id, period),
        "overdue": _overdue(session, owner, period, now),
    }


def _tally(amounts: list[Decimal]) -> dict[str, Any]:
    return {"count": len(amounts), "amount": str(sum(amounts, Decimal("0.00")))}


def _new_customers(session: Session, owner_id: int, since: dt.datetime, until: dt.datetime) -> dict[str, Any]:
    names = list(session.scalars(select(Customer.company).where(
        Customer.owner_id == owner_id, Customer.created_at >= since, Customer.created_at < until,
        Customer.merged_into_id.is_(None)).order_by(Customer.company)))
    return {"count": len(names), "names": names}


def _activities(session: Session, owner_id: int, since: dt.datetime, until: dt.datetime,
                zone: ZoneInfo) -> dict[str, Any]:
    done = list(session.scalars(
        select(Activity).options(selectinload(Activity.customer)).where(
            Activity.owner_id == owner_id, Activity.status == "done", Activity.done_at >= since,
            Activity.done_at < until).order_by(Activity.done_at, Activity.id)))
    counts = Counter(activity.kind for activity in done)
    return {
        "done": len(done),
        "by_kind": [{"kind": kind, "label": str(label), "count": counts[kind]}
                    for kind, label in ACTIVITY_KINDS.items()],
        "items": [{"day": a.done_at.replace(tzinfo=dt.UTC).astimezone(zone).date().isoformat(),
                   "kind": a.kind, "customer": a.customer.company,
                   "subject": a.subject, "outcome": a.outcome} for a in done[:MAX_ITEMS]],
    }


def _visits(session: Session, owner_id: int, period: Period) -> dict[str, Any]:
    customers = list(session.scalars(select(Customer.company).join(Visit, Visit.customer_id == Customer.id).where(
        Visit.visitor_id == owner_id, Visit.visited_on >= period.start, Visit.visited_on <= period.end)
        .order_by(Visit.visited_on, Visit.id)))
    return {"count": len(customers), "customers": customers}


def _receptions(session: Session, owner_id: int, period: Period) -> dict[str, Any]:
    customers = list(session.scalars(select(Customer.company).join(
        Reception, Reception.customer_id == Customer.id).where(
        Reception.host_id == owner_id, Reception.status.in_(HELD_RECEPTIONS), Reception.arrival_date >= period.start,
        Reception.arrival_date <= period.end).order_by(Reception.arrival_date, Reception.id)))
    return {"count": len(customers), "customers": customers}


def _opportunities(session: Session, owner_id: int, since: dt.datetime, until: dt.datetime) -> dict[str, Any]:
    mine = Opportunity.owner_id == owner_id
    created = list(session.scalars(select(Opportunity.amount).where(
        mine, Opportunity.created_at >= since, Opportunity.created_at < until)))
    advanced = list(session.scalars(
        select(Opportunity.amount).where(mine, Opportunity.id.in_(
            select(StageChange.opportunity_id).where(
                StageChange.changed_at >= since, StageChange.changed_at < until, StageChange.status == "open",
                StageChange.from_stage.is_not(None), StageChange.to_stage > StageChange.from_stage)))))
    closed = {status: list(session.scalars(select(Opportunity.amount).where(
        mine, Opportunity.status == status, Opportunity.closed_at >= since, Opportunity.closed_at < until)))
        for status in ("won", "lost")}
    return {"created": _tally(created), "advanced": _tally(advanced), "won": _tally(closed["won"]),
            "lost": _tally(closed["lost"])}


def _quotes(session: Session, owner_id: int, since: dt.datetime, until: dt.datetime) -> dict[str, Any]:
    mine = select(Quote).options(selectinload(Quote.lines)).where(Quote.owner_id == owner_id)
    created = session.scalars(mine.where(Quote.created_at >= since, Quote.created_at < until))
    accepted = session.scalars(mine.where(Quote.status == "accepted", Quote.decided_at >= since,
                                          Quote.decided_at < until))
    return {"created": _tally([quote_totals(q).total for q in created]),
            "accepted": _tally([quote_totals(q).total for q in accepted])}


def _contracts(session: Session, owner_id: int, since: dt.datetime, until: dt.datetime) -> dict[str, Any]:
    mine = Contract.owner_id == owner_id
    created = list(session.scalars(select(Contract.amount).where(
        mine, Contract.created_at >= since, Contract.created_at < until)))
    approved = list(session.scalars(select(Contract.amount).where(
        mine, Contract.approved_at >= since, Contract.approved_at < until)))
    return {"created": _tally(created), "approved": _tally(approved)}


def _plan(session: Session, owner_id: int, period: Period) -> dict[str, Any]:
    rows = dict(session.execute(select(Activity.status, func.count()).where(
        Activity.owner_id == owner_id, Activity.planned_for >= period.start, Activity.planned_for <= period.end,
        Activity.status != "cancelled").group_by(Activity.status)).all())
    planned, done = sum(rows.values()), rows.get("done", 0)
    return {"planned": planned, "done": done, "percent": round(100 * done / planned) if planned else 0}


def _overdue(session: Session, owner: User, period: Period, now: dt.datetime) -> dict[str, Any]:
    activities = session.scalar(select(func.count()).select_from(Activity).where(
        Activity.owner_id == owner.id, Activity.status == "planned", Activity.planned_for <= period.end))
    owned = select(Customer.id).where(Customer.owner_id == owner.id)
    tasks = session.scalar(select(func.count()).select_from(HumanTask).where(
        HumanTask.status == "ready", HumanTask.due_at < now,
        or_(HumanTask.assignee == owner.username,
            (HumanTask.assignee.is_(None)) & (HumanTask.role == "salesperson")
            & HumanTask.customer_id.in_(owned))))
    return {"activities": activities or 0, "tasks": tasks or 0}


def sections(figures: dict[str, Any] | None) -> list[tuple[str, list[tuple[str, str, Any]]]]:
    """The figures as (section, [(label, kind, value)]) for pages, the task panel, the PDF and the export;
    ``kind`` is ``count``, ``money``, ``percent`` or ``text`` (how to show ``value``)."""
    if not figures:
        return []
    f = figures

    def pair(prefix: str, tally: dict[str, Any]) -> list[tuple[str, str, Any]]:
        return [(prefix, "count", tally["count"]),
                (_("%(figure)s: amount", figure=prefix), "money", Decimal(tally["amount"]))]

    opportunities, quotes, contracts = f["opportunities"], f["quotes"], f["contracts"]
    return [
        (_("New customers"), [(_("New customers"), "count", f["new_customers"]["count"]),
                              (_("Names"), "text", ", ".join(f["new_customers"]["names"]))]),
        (_("Activities"), [(_("Activities done"), "count", f["activities"]["done"]),
                           *((str(ACTIVITY_KINDS.get(k["kind"], k["label"])), "count", k["count"])
                             for k in f["activities"]["by_kind"])]),
        (_("Visits and receptions"), [(_("Visits made"), "count", f["visits"]["count"]),
                                      (_("Customers visited"), "text", ", ".join(f["visits"]["customers"])),
                                      (_("Receptions held"), "count", f["receptions"]["count"]),
                                      (_("Customers received"), "text", ", ".join(f["receptions"]["customers"]))]),
        (_("Opportunities"), [*pair(pgettext("records", "Created"), opportunities["created"]),
                              *pair(_("Advanced"), opportunities["advanced"]),
                              *pair(_("Won"), opportunities["won"]), *pair(_("Lost"), opportunities["lost"])]),
        (_("Quotes and contracts"), [*pair(_("Quotes made"), quotes["created"]),
                                     *pair(_("Quotes accepted"), quotes["accepted"]),
                                     *pair(_("Contracts drawn up"), contracts["created"]),
                                     *pair(_("Contracts approved"), contracts["approved"])]),
        (_("Plan"), [(_("Planned activities"), "count", f["plan"]["planned"]),
                     (_("Done"), "count", f["plan"]["done"]),
                     (_("Done of planned"), "percent", f["plan"]["percent"])]),
        (_("Overdue"), [(_("Overdue activities"), "count", f["overdue"]["activities"]),
                        (_("Overdue tasks"), "count", f["overdue"]["tasks"])]),
    ]
