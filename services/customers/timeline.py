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
from crm.sales.labels import note_label, stage_label, status_label
from crm.sales.opportunities import Opportunity, StageChange
from crm.sales.tenders import Tender
from crm.sales.visits import Reception, Visit
from engine.models import HumanTask, InstanceEvent, ProcessInstance
from i18n import _, _l
from services.processes import labels

PROCESS_EVENTS = {
    "started": _l("started"), "task_completed": _l("step completed"), "completed": _l("finished"),
    "error": _l("failed"), "timer_fired": _l("timer fired"), "rewound": _l("rewound"), "terminated": _l("terminated"),
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
    subject = activity.subject
    for prefix in (f"{ACTIVITY_KINDS[activity.kind]}:", _STORED_PREFIXES[activity.kind]):
        if subject.lower().startswith(prefix.lower()):
            return subject[len(prefix):].lstrip()
    return subject


_STORED_PREFIXES = {"call": "call:", "visit": "visit:", "meeting": "meeting:", "email": "e-mail:"}
"""How older records spell the kind at the start of a subject (English, whatever the reader's language)."""


def _day(value: dt.date | None, fallback: dt.datetime) -> dt.datetime:
    return dt.datetime.combine(value, dt.time(9)) if value else fallback


def customer_timeline(session: Session, customer_id: int, per_source: int = 100) -> list[Entry]:
    """Everything that happened with the customer, newest first (at most ``per_source`` per kind)."""
    entries: list[Entry] = []

    def rows(query):
        return session.scalars(query.limit(per_source)).all()

    for a in rows(select(Activity).where(Activity.customer_id == customer_id).order_by(Activity.id.desc())):
        title = (_("%(kind)s (planned): %(subject)s", kind=ACTIVITY_KINDS[a.kind], subject=_subject(a))
                 if a.status == "planned" else
                 _("%(kind)s: %(subject)s", kind=ACTIVITY_KINDS[a.kind], subject=_subject(a)))
        detail = _("%(outcome)s — next: %(action)s", outcome=a.outcome, action=a.next_action) if a.next_action \
            else a.outcome
        entries.append(Entry(a.done_at or _day(a.planned_for, a.created_at), "activity", title, detail,
                             a.owner.display_name if a.owner else ""))
    for v in rows(select(Visit).where(Visit.customer_id == customer_id).order_by(Visit.id.desc())):
        entries.append(Entry(_day(v.visited_on or v.planned_date, v.created_at), "visit",
                             _("Visit (%(status)s): %(purpose)s", status=status_label(v.status),
                               purpose=v.purpose), v.needs or v.objectives,
                             v.visitor.display_name if v.visitor else "", v.instance_id))
    for r in rows(select(Reception).where(Reception.customer_id == customer_id).order_by(Reception.id.desc())):
        entries.append(Entry(_day(r.arrival_date, r.created_at), "reception",
                             _("Reception (%(status)s): %(purpose)s", status=status_label(r.status),
                               purpose=r.purpose), r.guests,
                             r.host.display_name if r.host else "", r.instance_id))
    for t in rows(select(Tender).where(Tender.customer_id == customer_id).order_by(Tender.id.desc())):
        title = _("Tender (%(status)s): %(project)s", status=status_label(t.status), project=t.project)
        entries.append(Entry(t.created_at, "tender", title,
                             t.result_note or t.documents, t.owner.display_name if t.owner else "", t.instance_id))
    for b in rows(select(BehaviourEvent).where(BehaviourEvent.customer_id == customer_id)
                  .order_by(BehaviourEvent.at.desc())):
        entries.append(Entry(b.at, "behaviour", _("%(kind)s — %(contact)s", kind=BEHAVIOUR_KINDS[b.kind],
                                                             contact=b.contact.name), b.detail))
    for o in rows(select(OwnerChange).where(OwnerChange.customer_id == customer_id).order_by(OwnerChange.id.desc())):
        before = o.from_owner.display_name if o.from_owner else _("nobody")
        entries.append(Entry(o.changed_at, "owner", _("Owner changed from %(before)s to %(after)s", before=before,
                                                      after=o.to_owner.display_name),
                             o.reason, o.changed_by))
    for change, name in session.execute(
        select(StageChange, Opportunity.name).join(Opportunity).where(Opportunity.customer_id == customer_id)
        .order_by(StageChange.id.desc()).limit(per_source)
    ):
        what = status_label(change.status) if change.status != "open" else stage_label(change.to_stage)
        entries.append(Entry(change.changed_at, "opportunity", _("Opportunity %(name)s: %(what)s", name=name,
                                                                 what=what), note_label(change.note),
                             change.changed_by, change.opportunity_id))
    for r in rows(select(CustomerEvent).where(CustomerEvent.customer_id == customer_id)
                  .order_by(CustomerEvent.id.desc())):
        entries.append(Entry(r.at, "record", str(RECORD_EVENTS[r.kind]), r.summary, r.by))
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
        what = _("%(process)s #%(id)s %(event)s", process=process, id=event.instance_id,
                 event=PROCESS_EVENTS[event.kind])
        if event.task_name:
            what = _("%(what)s: %(step)s", what=what, step=text(version_id, event.task_name, task or event.task_name))
        entries.append(Entry(event.at, "process", what,
                             event.message, event.actor, event.instance_id))
    return entries
