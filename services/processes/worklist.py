"""Worklist queries: my tasks and my lanes' queue, straight from the task table."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Select, func, literal_column, or_, select
from sqlalchemy.orm import Session, joinedload, lazyload, load_only

from crm.accounts.users import Role, User
from crm.customers.models import Customer
from engine.models import HumanTask, ProcessInstance, ProcessVersion, utcnow
from engine.runtime import Actor
from services.processes import labels
from services.processes.key_figures import About, key_figure_column
from services.processes.scope import OwnerScope, owner_scope, scope_condition

SORTS = {
    "due": (HumanTask.due_at.asc().nulls_last(), HumanTask.created_at),  # matches ix_human_task_open_due
    "priority": (HumanTask.priority.desc(), HumanTask.created_at),
    "created": (HumanTask.created_at.desc(),),
    "follow_up": (HumanTask.follow_up_at.is_(None), HumanTask.follow_up_at, HumanTask.created_at),
}
DUE_SOON = dt.timedelta(hours=24)
LISTED = joinedload(HumanTask.instance).options(
    load_only(ProcessInstance.title, ProcessInstance.process_key, ProcessInstance.version_id),
    joinedload(ProcessInstance.version).load_only(ProcessVersion.content_hash, ProcessVersion.process_key))
"""A listed task's instance: its title and its version's content hash (which finds the version's translations),
not its saved state or its version's sources."""
HIGH_PRIORITY, LOW_PRIORITY = 75, 25
LISTS = ("mine", "queue")
COUNT_CAP = 1000
"""Lists are counted exactly up to this many tasks; beyond it they show "1,000+" (an exact count of a
50,000-task queue costs tens of milliseconds on every page view, a capped one a few)."""


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


@dataclass(frozen=True)
class TaskCount:
    """How many tasks a list holds: exact up to :data:`COUNT_CAP`; ``more`` means more than ``value``."""

    value: int
    more: bool = False

    @classmethod
    def of(cls, counted: int) -> TaskCount:
        """From a count of at most ``COUNT_CAP + 1`` rows."""
        return cls(COUNT_CAP, True) if counted > COUNT_CAP else cls(counted)

    def __str__(self) -> str:
        return f"{self.value:,}+" if self.more else f"{self.value:,}"


@dataclass
class Page:
    """One page of a list; ``count`` is the list's (capped) size, ``counts`` both lists' sizes, ``about`` what
    each listed task is about (by task id)."""

    items: list[HumanTask]
    count: TaskCount
    page: int
    per_page: int
    has_next: bool
    counts: dict[str, TaskCount]
    about: dict[str, About] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        """The number of pages; when :attr:`more_pages`, the number known to exist."""
        if not self.count.more:
            return max(1, -(-self.count.value // self.per_page))
        if self.has_next:
            return max(-(-(COUNT_CAP + 1) // self.per_page), self.page + 1)
        return self.page  # the last page of a capped list

    @property
    def more_pages(self) -> bool:
        """Whether there may be pages beyond :attr:`pages` (the count was capped; this is not the last page)."""
        return self.count.more and self.has_next


def _tasks() -> Select:
    """Task rows with their customer joined (searchable by name; PostgreSQL drops the join where unused)."""
    return select(HumanTask).outerjoin(Customer, Customer.id == HumanTask.customer_id)


def _mine(actor: Actor) -> Select:
    return _tasks().where(HumanTask.status == "ready", HumanTask.assignee == actor.username)


def _queue(actor: Actor, scope: OwnerScope) -> Select:
    return _tasks().where(
        HumanTask.status == "ready", HumanTask.assignee.is_(None), HumanTask.role.in_(sorted(actor.roles)),
        scope_condition(scope),
    )


def _filtered(query: Select, flt: TaskFilter, now: dt.datetime) -> Select:
    if flt.process:
        query = query.where(HumanTask.process_key == flt.process)
    if flt.q:
        words = [HumanTask.title.icontains(flt.q, autoescape=True), Customer.company.icontains(flt.q, autoescape=True)]
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


def _capped_count(query: Select) -> Select:
    """``SELECT count(*) FROM (SELECT 1 ... LIMIT COUNT_CAP + 1)``: stops reading after the cap."""
    rows = query.with_only_columns(literal_column("1"), maintain_column_froms=True).limit(COUNT_CAP + 1)
    return select(func.count()).select_from(rows.subquery())


def list_tasks(
    session: Session, actor: Actor, which: str, flt: TaskFilter = TaskFilter(), page: int = 1, per_page: int = 25,
    *, user: User | None = None,
) -> Page:
    """One page of ``which`` ("mine" or "queue"), filtered and sorted, with both lists' capped counts.

    The queue holds unassigned tasks of the actor's lanes within their data scope (:mod:`services.processes.scope`);
    ``user`` is the actor's row when the caller has it loaded (saves looking it up).
    """
    return list_pages(session, actor, (which,), flt, page, per_page, user=user)[which]


def list_pages(
    session: Session, actor: Actor, which: tuple[str, ...] = LISTS, flt: TaskFilter = TaskFilter(), page: int = 1,
    per_page: int = 25, *, user: User | None = None,
) -> dict[str, Page]:
    """:func:`list_tasks` for several lists, counting them once (one statement for all counts)."""
    now = utcnow()
    page = max(page, 1)
    lists = {"mine": _mine(actor), "queue": _queue(actor, owner_scope(session, actor, user))}
    lists = {name: _filtered(query, flt, now) for name, query in lists.items()}
    counted = session.execute(select(*(_capped_count(q).scalar_subquery() for q in lists.values()))).one()
    counts = {name: TaskCount.of(n) for name, n in zip(lists, counted, strict=True)}
    pages = {}
    for name in which:
        rows = list(session.execute(  # one row more than a page tells whether a next page exists
            lists[name].add_columns(Customer.company, key_figure_column()).options(LISTED)
            .order_by(*SORTS[flt.sort]).offset((page - 1) * per_page).limit(per_page + 1)
        ))
        listed = rows[:per_page]
        about = {task.id: About.of(task.process_key, company, figure) for task, company, figure in listed}
        labels.show(session, [row[0] for row in listed])
        pages[name] = Page([row[0] for row in listed], counts[name], page, per_page,
                           len(rows) > per_page, counts, about)
    return pages


def colleagues(session: Session, role: str | None, actor: Actor) -> list[User]:
    """Active users a task of ``role`` can be handed to: holders of the role except the actor."""
    return colleagues_by_role(session, {role}, actor).get(role, [])


def colleagues_by_role(session: Session, roles: set[str | None], actor: Actor) -> dict[str, list[User]]:
    """:func:`colleagues` of several roles in one query; the users carry only username and display name."""
    wanted = sorted(role for role in roles if role is not None)
    found: dict[str, list[User]] = {role: [] for role in wanted}
    if not wanted:
        return found
    rows = session.execute(
        select(Role.key, User).join(User.roles)
        .where(Role.key.in_(wanted), User.active.is_(True), User.username != actor.username)
        .options(load_only(User.username, User.display_name), lazyload(User.roles))
        .order_by(User.display_name)
    )
    for role, user in rows:
        found[role].append(user)
    return found


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
