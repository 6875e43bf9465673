"""Worklist queries: my tasks and my lanes' queue, straight from the task table."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, joinedload, lazyload, load_only

from crm.users import Role, User
from engine.models import HumanTask, ProcessInstance, utcnow
from engine.runtime import Actor

from .scope import OwnerScope, owner_scope, scope_condition

SORTS = {
    "due": (HumanTask.due_at.asc().nulls_last(), HumanTask.created_at),  # matches ix_human_task_open_due
    "priority": (HumanTask.priority.desc(), HumanTask.created_at),
    "created": (HumanTask.created_at.desc(),),
    "follow_up": (HumanTask.follow_up_at.is_(None), HumanTask.follow_up_at, HumanTask.created_at),
}
DUE_SOON = dt.timedelta(hours=24)
LISTED = joinedload(HumanTask.instance).options(load_only(ProcessInstance.title), lazyload(ProcessInstance.version))
"""A listed task's instance: its title only, not its saved state or its version's sources."""
HIGH_PRIORITY, LOW_PRIORITY = 75, 25


@dataclass(frozen=True)
class TaskFilter:
    """What a user narrows the worklist by; saved filters store these fields."""

    process: str = ""
    q: str = ""
    customer_id: int | None = None
    overdue: bool = False
    min_priority: int | None = None
    sort: str = "due"

    @classmethod
    def from_args(cls, args) -> TaskFilter:
        """Build from query-string arguments, ignoring what does not parse."""
        def as_int(name):
            try:
                return int(args.get(name)) if args.get(name) not in (None, "") else None
            except ValueError:
                return None

        sort = args.get("sort", "due")
        return cls(
            process=args.get("process", ""), q=args.get("q", "").strip(), customer_id=as_int("customer_id"),
            overdue=args.get("overdue") in ("1", "true", "on"), min_priority=as_int("min_priority"),
            sort=sort if sort in SORTS else "due",
        )

    def as_args(self) -> dict:
        """Query-string arguments reproducing this filter."""
        args = {"process": self.process, "q": self.q, "customer_id": self.customer_id, "sort": self.sort,
                "overdue": "1" if self.overdue else "", "min_priority": self.min_priority}
        return {k: v for k, v in args.items() if v not in (None, "")}


@dataclass
class Page:
    items: list[HumanTask]
    total: int
    page: int
    per_page: int
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _mine(actor: Actor) -> Select:
    return select(HumanTask).where(HumanTask.status == "ready", HumanTask.assignee == actor.username)


def _queue(actor: Actor, scope: OwnerScope) -> Select:
    return select(HumanTask).where(
        HumanTask.status == "ready", HumanTask.assignee.is_(None), HumanTask.role.in_(sorted(actor.roles)),
        scope_condition(scope),
    )


def _filtered(query: Select, flt: TaskFilter, now: dt.datetime) -> Select:
    if flt.process:
        query = query.where(HumanTask.process_key == flt.process)
    if flt.q:
        words = [HumanTask.title.ilike(f"%{flt.q}%")]
        if flt.q.lstrip("#").isdecimal():
            words.append(HumanTask.instance_id == int(flt.q.lstrip("#")))
        query = query.where(or_(*words))
    if flt.customer_id is not None:
        query = query.where(HumanTask.customer_id == flt.customer_id)
    if flt.overdue:
        query = query.where(HumanTask.due_at < now)
    if flt.min_priority is not None:
        query = query.where(HumanTask.priority >= flt.min_priority)
    return query


def list_tasks(
    session: Session, actor: Actor, which: str, flt: TaskFilter = TaskFilter(), page: int = 1, per_page: int = 25
) -> Page:
    """One page of ``which`` ("mine" or "queue"), filtered and sorted, with both lists' counts.

    The queue holds unassigned tasks of the actor's lanes within their data scope (:mod:`services.scope`).
    """
    now = utcnow()
    lists = {"mine": _mine(actor), "queue": _queue(actor, owner_scope(session, actor))}
    query = _filtered(lists[which], flt, now)
    items = list(session.scalars(
        query.options(LISTED).order_by(*SORTS[flt.sort]).offset((max(page, 1) - 1) * per_page).limit(per_page)
    ))
    counts = {name: session.scalar(select(func.count()).select_from(_filtered(q, flt, now).subquery()))
              for name, q in lists.items()}
    return Page(items, counts[which], page, per_page, counts)


def colleagues(session: Session, role: str | None, actor: Actor) -> list[User]:
    """Active users a task of ``role`` can be handed to: holders of the role except the actor."""
    if role is None:
        return []
    return list(session.scalars(
        select(User).join(User.roles)
        .where(Role.key == role, User.active.is_(True), User.username != actor.username)
        .order_by(User.display_name)
    ))


def priority_label(priority: int) -> str:
    """"high", "low" or "" (normal) for a task's priority."""
    if priority >= HIGH_PRIORITY:
        return "high"
    return "low" if priority <= LOW_PRIORITY else ""


def follow_up_due(row: HumanTask, now: dt.datetime | None = None) -> bool:
    """Whether the follow-up date someone set on the task has come."""
    return row.follow_up_at is not None and row.follow_up_at <= (now or utcnow())


def due_state(row: HumanTask, now: dt.datetime | None = None) -> str:
    """"overdue", "due_soon" or ""."""
    now = now or utcnow()
    if row.due_at is None:
        return ""
    if row.due_at < now:
        return "overdue"
    return "due_soon" if row.due_at - now < DUE_SOON else ""
