"""One timeline per customer: activities, visits, receptions, tenders, behaviour, ownership, record changes
(created, edited, merged, contacts), opportunity stages and the history of every process instance about the
customer, newest first."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from sqlalchemy import Date, DateTime, Integer, String, bindparam, cast, func, literal, null, select, union_all
from sqlalchemy.orm import Session, aliased

from crm.accounts.users import User
from crm.customers.behaviour import BEHAVIOUR_KINDS, BehaviourEvent
from crm.customers.history import RECORD_EVENTS, CustomerEvent
from crm.customers.models import Contact
from crm.customers.ownership import OwnerChange
from crm.sales.activities import ACTIVITY_KINDS, Activity
from crm.sales.labels import note_label, stage_label, status_label
from crm.sales.opportunities import Opportunity, StageChange
from crm.sales.tenders import Tender
from crm.sales.visits import Reception, Visit
from engine.models import HumanTask, InstanceEvent, ProcessInstance, ProcessVersion
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


def _subject(kind: str, subject: str) -> str:
    """The subject without a leading "Call:" (older records repeat the kind the title already names)."""
    for prefix in (f"{ACTIVITY_KINDS[kind]}:", _STORED_PREFIXES[kind]):
        if subject.lower().startswith(prefix.lower()):
            return subject[len(prefix):].lstrip()
    return subject


_STORED_PREFIXES = {"call": "call:", "visit": "visit:", "meeting": "meeting:", "email": "e-mail:"}
"""How older records spell the kind at the start of a subject (English, whatever the reader's language)."""


def _day(value: dt.date | None, fallback: dt.datetime) -> dt.datetime:
    return dt.datetime.combine(value, dt.time(9)) if value else fallback


_NO_TEXT, _NO_NUMBER = cast(null(), String), cast(null(), Integer)
_NO_MOMENT, _NO_DAY = cast(null(), DateTime), cast(null(), Date)
FROM_OWNER, TO_OWNER, Person = aliased(User), aliased(User), aliased(User)


def _row(source: int, key, *, at=_NO_MOMENT, day=_NO_DAY, fallback=_NO_MOMENT, status=_NO_TEXT, kind=_NO_TEXT,
         a=_NO_TEXT, b=_NO_TEXT, c=_NO_TEXT, who=_NO_TEXT, ref=_NO_NUMBER, number=_NO_NUMBER, newest=_NO_MOMENT):
    """One source's columns under the timeline's shared names: when it happened (``at``, else ``day`` at 09:00,
    else ``fallback``), its status and kind, up to three texts, who, the record it links to and a number."""
    return select(literal(source).label("source"), key.label("id"), at.label("at"), day.label("day"),
                  fallback.label("fallback"), status.label("status"), kind.label("kind"), a.label("a"),
                  b.label("b"), c.label("c"), who.label("who"), ref.label("ref"), number.label("number"),
                  newest.label("newest"))


def _sources() -> list:
    """The record sources of the timeline, in the order their entries are listed (newest first in each); the
    customer is the ``customer_id`` parameter."""
    def by_customer(model):
        return model.customer_id == bindparam("customer_id")

    return [
        _row(0, Activity.id, at=Activity.done_at, day=Activity.planned_for, fallback=Activity.created_at,
             status=Activity.status, kind=Activity.kind, a=Activity.subject, b=Activity.outcome,
             c=Activity.next_action, who=Person.display_name)
        .outerjoin(Person, Person.id == Activity.owner_id).where(by_customer(Activity)).order_by(Activity.id.desc()),
        _row(1, Visit.id, day=func.coalesce(Visit.visited_on, Visit.planned_date), fallback=Visit.created_at,
             status=Visit.status, a=Visit.purpose, b=Visit.needs, c=Visit.objectives, who=Person.display_name,
             ref=Visit.instance_id)
        .outerjoin(Person, Person.id == Visit.visitor_id).where(by_customer(Visit)).order_by(Visit.id.desc()),
        _row(2, Reception.id, day=Reception.arrival_date, fallback=Reception.created_at, status=Reception.status,
             a=Reception.purpose, b=Reception.guests, who=Person.display_name, ref=Reception.instance_id)
        .outerjoin(Person, Person.id == Reception.host_id).where(by_customer(Reception))
        .order_by(Reception.id.desc()),
        _row(3, Tender.id, at=Tender.created_at, status=Tender.status, a=Tender.project, b=Tender.result_note,
             c=Tender.documents, who=Person.display_name, ref=Tender.instance_id)
        .outerjoin(Person, Person.id == Tender.owner_id).where(by_customer(Tender)).order_by(Tender.id.desc()),
        _row(4, BehaviourEvent.id, at=BehaviourEvent.at, kind=BehaviourEvent.kind, a=Contact.name,
             b=BehaviourEvent.detail, newest=BehaviourEvent.at)
        .outerjoin(Contact, Contact.id == BehaviourEvent.contact_id).where(by_customer(BehaviourEvent))
        .order_by(BehaviourEvent.at.desc()),
        _row(5, OwnerChange.id, at=OwnerChange.changed_at, a=FROM_OWNER.display_name, b=TO_OWNER.display_name,
             c=OwnerChange.reason, who=OwnerChange.changed_by)
        .outerjoin(FROM_OWNER, FROM_OWNER.id == OwnerChange.from_owner_id)
        .outerjoin(TO_OWNER, TO_OWNER.id == OwnerChange.to_owner_id).where(by_customer(OwnerChange))
        .order_by(OwnerChange.id.desc()),
        _row(6, StageChange.id, at=StageChange.changed_at, status=StageChange.status, number=StageChange.to_stage,
             a=StageChange.note, b=Opportunity.name, who=StageChange.changed_by, ref=StageChange.opportunity_id)
        .join(Opportunity, Opportunity.id == StageChange.opportunity_id).where(by_customer(Opportunity))
        .order_by(StageChange.id.desc()),
        _row(7, CustomerEvent.id, at=CustomerEvent.at, kind=CustomerEvent.kind, a=CustomerEvent.summary,
             who=CustomerEvent.by)
        .where(by_customer(CustomerEvent)).order_by(CustomerEvent.id.desc()),
    ]


@functools.cache
def _statement():
    """Every source's newest ``per_source`` rows in one statement: built once (building it costs more Python than
    running it), run with the customer and the limit as parameters."""
    limit = bindparam("per_source", type_=Integer)
    rows = union_all(*(select(part.limit(limit).subquery()) for part in _sources())).subquery()
    return select(rows).order_by(rows.c.source, rows.c.newest.desc(), rows.c.id.desc())


def _entry(row) -> Entry:
    """A row of :func:`_sources` as the timeline shows it."""
    at = row.at or _day(row.day, row.fallback)
    if row.source == 0:
        subject = _subject(row.kind, row.a)
        title = (_("%(kind)s (planned): %(subject)s", kind=ACTIVITY_KINDS[row.kind], subject=subject)
                 if row.status == "planned" else
                 _("%(kind)s: %(subject)s", kind=ACTIVITY_KINDS[row.kind], subject=subject))
        detail = _("%(outcome)s — next: %(action)s", outcome=row.b, action=row.c) if row.c else row.b
        return Entry(at, "activity", title, detail, row.who or "")
    if row.source == 1:
        return Entry(at, "visit", _("Visit (%(status)s): %(purpose)s", status=status_label(row.status),
                                    purpose=row.a), row.b or row.c, row.who or "", row.ref)
    if row.source == 2:
        return Entry(at, "reception", _("Reception (%(status)s): %(purpose)s", status=status_label(row.status),
                                        purpose=row.a), row.b, row.who or "", row.ref)
    if row.source == 3:
        return Entry(at, "tender", _("Tender (%(status)s): %(project)s", status=status_label(row.status),
                                     project=row.a), row.b or row.c, row.who or "", row.ref)
    if row.source == 4:
        return Entry(at, "behaviour", _("%(kind)s — %(contact)s", kind=BEHAVIOUR_KINDS[row.kind], contact=row.a),
                     row.b)
    if row.source == 5:
        return Entry(at, "owner", _("Owner changed from %(before)s to %(after)s", before=row.a or _("nobody"),
                                    after=row.b), row.c, row.who)
    if row.source == 6:
        what = status_label(row.status) if row.status != "open" else stage_label(row.number)
        return Entry(at, "opportunity", _("Opportunity %(name)s: %(what)s", name=row.b, what=what),
                     note_label(row.a), row.who, row.ref)
    return Entry(at, "record", str(RECORD_EVENTS[row.kind]), row.a, row.who)


def customer_timeline(session: Session, customer_id: int, per_source: int = 100) -> list[Entry]:
    """Everything that happened with the customer, newest first (at most ``per_source`` per kind): the records
    in one statement (each source's newest ``per_source``), the process history in another."""
    found = session.execute(_statement(), {"customer_id": customer_id, "per_source": per_source})
    entries = [_entry(row) for row in found]
    entries += _process_history(session, customer_id, per_source)
    return sorted(entries, key=lambda e: e.at, reverse=True)


def _process_history(session: Session, customer_id: int, limit: int) -> list[Entry]:
    query = (
        select(InstanceEvent.instance_id, InstanceEvent.at, InstanceEvent.actor, InstanceEvent.kind,
               InstanceEvent.task_name, InstanceEvent.message, ProcessInstance.title.label("process"),
               HumanTask.title.label("task"), ProcessInstance.version_id, ProcessInstance.process_key,
               ProcessVersion.content_hash)
        .join(ProcessInstance, ProcessInstance.id == InstanceEvent.instance_id)
        .join(ProcessVersion, ProcessVersion.id == ProcessInstance.version_id)
        .outerjoin(HumanTask, HumanTask.id == InstanceEvent.task_id)
        .where(ProcessInstance.customer_id == customer_id, InstanceEvent.kind.in_(PROCESS_EVENTS))
        .order_by(InstanceEvent.id.desc()).limit(limit)
    )
    found = session.execute(query).all()
    text = labels.lookup(session, {row.version_id: row.content_hash for row in found})
    events = {kind: str(label) for kind, label in PROCESS_EVENTS.items()}
    entries = []
    for row in found:
        what = _("%(process)s #%(id)s %(event)s", process=text(row.version_id, row.process_key, row.process),
                 id=row.instance_id, event=events[row.kind])
        if row.task_name:
            what = _("%(what)s: %(step)s", what=what,
                     step=text(row.version_id, row.task_name, row.task or row.task_name))
        entries.append(Entry(row.at, "process", what, row.message, row.actor, row.instance_id))
    return entries
