"""One timeline per customer: activities, visits, receptions, tenders, behaviour, ownership, record changes
(created, edited, merged, contacts), opportunity stages and the history of every process instance about the
customer, newest first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.customers.behaviour import BEHAVIOUR_KINDS, BehaviourEvent
from crm.customers.history import RECORD_EVENTS, CustomerEvent
from crm.customers.ownership import OwnerChange
from crm.sales.activities import ACTIVITY_KINDS, Activity
from crm.sales.opportunities import Opportunity, StageChange
from crm.sales.tenders import Tender
from crm.sales.visits import Reception, Visit
from engine.models import HumanTask, InstanceEvent, ProcessInstance
from services.processes import labels

PROCESS_EVENTS = {
    "started": "started", "task_completed": "completed", "completed": "finished", "error": "failed",
    "timer_fired": "timer fired", "rewound": "rewound", "terminated": "terminated",
}
"""Instance history kinds shown on the timeline (service calls and claims are left out)."""


@dataclass(frozen=True)
class Entry:
    at: dt.datetime
    kind: str
    title: str
    detail: str = ""
    who: str = ""
    ref: int | None = None
    """Id of the record the entry is about (opportunity or process instance), for links."""


def _subject(activity: Activity) -> str:
    """The subject without a leading "Call:" (older records repeat the kind the title already names)."""
    prefix = f"{ACTIVITY_KINDS[activity.kind]}:"
    subject = activity.subject
    return subject[len(prefix):].lstrip() if subject.lower().startswith(prefix.lower()) else subject


def _day(value: dt.date | None, fallback: dt.datetime) -> dt.datetime:
    return dt.datetime.combine(value, dt.time(9)) if value else fallback


def customer_timeline(session: Session, customer_id: int, per_source: int = 100) -> list[Entry]:
    """Everything that happened with the customer, newest first (at most ``per_source`` per kind)."""
    entries: list[Entry] = []

    def rows(query):
        return session.scalars(query.limit(per_source)).all()

    for a in rows(select(Activity).where(Activity.customer_id == customer_id).order_by(Activity.id.desc())):
        title = f"{ACTIVITY_KINDS[a.kind]}{' (planned)' if a.status == 'planned' else ''}: {_subject(a)}"
        detail = a.outcome + (f" — next: {a.next_action}" if a.next_action else "")
        entries.append(Entry(a.done_at or _day(a.planned_for, a.created_at), "activity", title, detail,
                             a.owner.display_name if a.owner else ""))
    for v in rows(select(Visit).where(Visit.customer_id == customer_id).order_by(Visit.id.desc())):
        entries.append(Entry(_day(v.visited_on or v.planned_date, v.created_at), "visit",
                             f"Visit ({v.status}): {v.purpose}", v.needs or v.objectives,
                             v.visitor.display_name if v.visitor else "", v.instance_id))
    for r in rows(select(Reception).where(Reception.customer_id == customer_id).order_by(Reception.id.desc())):
        entries.append(Entry(_day(r.arrival_date, r.created_at), "reception",
                             f"Reception ({r.status}): {r.purpose}", r.guests,
                             r.host.display_name if r.host else "", r.instance_id))
    for t in rows(select(Tender).where(Tender.customer_id == customer_id).order_by(Tender.id.desc())):
        entries.append(Entry(t.created_at, "tender", f"Tender ({t.status}): {t.project}",
                             t.result_note or t.documents, t.owner.display_name if t.owner else "", t.instance_id))
    for b in rows(select(BehaviourEvent).where(BehaviourEvent.customer_id == customer_id)
                  .order_by(BehaviourEvent.at.desc())):
        entries.append(Entry(b.at, "behaviour", f"{BEHAVIOUR_KINDS[b.kind]} — {b.contact.name}", b.detail))
    for o in rows(select(OwnerChange).where(OwnerChange.customer_id == customer_id).order_by(OwnerChange.id.desc())):
        before = o.from_owner.display_name if o.from_owner else "nobody"
        entries.append(Entry(o.changed_at, "owner", f"Owner changed from {before} to {o.to_owner.display_name}",
                             o.reason, o.changed_by))
    for change, name in session.execute(
        select(StageChange, Opportunity.name).join(Opportunity).where(Opportunity.customer_id == customer_id)
        .order_by(StageChange.id.desc()).limit(per_source)
    ):
        what = change.status if change.status != "open" else f"stage {change.to_stage}"
        entries.append(Entry(change.changed_at, "opportunity", f"Opportunity {name}: {what}", change.note,
                             change.changed_by, change.opportunity_id))
    for r in rows(select(CustomerEvent).where(CustomerEvent.customer_id == customer_id)
                  .order_by(CustomerEvent.id.desc())):
        entries.append(Entry(r.at, "record", RECORD_EVENTS[r.kind], r.summary, r.by))
    entries += _process_history(session, customer_id, per_source)
    return sorted(entries, key=lambda e: e.at, reverse=True)


def _process_history(session: Session, customer_id: int, limit: int) -> list[Entry]:
    query = (
        select(InstanceEvent, ProcessInstance.title, HumanTask.title, ProcessInstance.version_id,
               ProcessInstance.process_key)
        .join(ProcessInstance, ProcessInstance.id == InstanceEvent.instance_id)
        .outerjoin(HumanTask, HumanTask.id == InstanceEvent.task_id)
        .where(ProcessInstance.customer_id == customer_id, InstanceEvent.kind.in_(PROCESS_EVENTS))
        .order_by(InstanceEvent.id.desc()).limit(limit)
    )
    found = session.execute(query).all()
    text = labels.lookup(session, {row.version_id for row in found})
    entries = []
    for event, process, task, version_id, process_key in found:
        process = text(version_id, process_key, process)
        step = f": {text(version_id, event.task_name, task or event.task_name)}" if event.task_name else ""
        entries.append(Entry(event.at, "process", f"{process} #{event.instance_id} {PROCESS_EVENTS[event.kind]}{step}",
                             event.message, event.actor, event.instance_id))
    return entries
