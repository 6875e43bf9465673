"""Worklist queries: my tasks and my lanes' queue, straight from the task table."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from engine.models import HumanTask, utcnow
from engine.runtime import Actor

SORTS = {
    "due": (HumanTask.due_at.is_(None), HumanTask.due_at, HumanTask.created_at),
    "priority": (HumanTask.priority.desc(), HumanTask.created_at),
    "created": (HumanTask.created_at.desc(),),
}
DUE_SOON = dt.timedelta(hours=24)


@dataclass(frozen=True)
class TaskFilter:
    """What a user narrows the worklist by; saved filters store these fields."""

    process: str = ""
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
            process=args.get("process", ""), customer_id=as_int("customer_id"),
            overdue=args.get("overdue") in ("1", "true", "on"), min_priority=as_int("min_priority"),
            sort=sort if sort in SORTS else "due",
        )

    def as_args(self) -> dict:
        """Query-string arguments reproducing this filter."""
        args = {"process": self.process, "customer_id": self.customer_id, "sort": self.sort,
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


def _queue(actor: Actor) -> Select:
    return select(HumanTask).where(
        HumanTask.status == "ready", HumanTask.assignee.is_(None), HumanTask.role.in_(sorted(actor.roles))
    )


def _filtered(query: Select, flt: TaskFilter, now: dt.datetime) -> Select:
    if flt.process:
        query = query.where(HumanTask.process_key == flt.process)
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
    """One page of ``which`` ("mine" or "queue"), filtered and sorted, with both lists' counts."""
    now = utcnow()
    base = _mine(actor) if which == "mine" else _queue(actor)
    query = _filtered(base, flt, now)
    items = list(session.scalars(
        query.order_by(*SORTS[flt.sort]).offset((max(page, 1) - 1) * per_page).limit(per_page)
    ))
    counts = {name: session.scalar(select(func.count()).select_from(_filtered(q, flt, now).subquery()))
              for name, q in (("mine", _mine(actor)), ("queue", _queue(actor)))}
    return Page(items, counts[which], page, per_page, counts)


def due_state(row: HumanTask, now: dt.datetime | None = None) -> str:
    """"overdue", "due_soon" or ""."""
    now = now or utcnow()
    if row.due_at is None:
        return ""
    if row.due_at < now:
        return "overdue"
    return "due_soon" if row.due_at - now < DUE_SOON else ""
