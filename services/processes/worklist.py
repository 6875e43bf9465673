"""Worklist queries: my tasks and my lanes' queue, straight from the task table."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from sqlalchemy import Select, bindparam, func, literal_column, or_, select
from sqlalchemy.orm import Session

from crm.accounts.users import Role, User
from crm.customers.models import Customer
from engine.models import HumanTask, ProcessInstance, ProcessVersion, utcnow
from engine.runtime import Actor
from services.processes import labels
from services.processes.key_figures import About, key_figure_column
from services.processes.scope import OwnerScope, owner_scope, scope_condition, scope_parameters

SORTS = {
    "due": (HumanTask.due_at.asc().nulls_last(), HumanTask.created_at),  # matches ix_human_task_open_due
    "priority": (HumanTask.priority.desc(), HumanTask.created_at),
    "created": (HumanTask.created_at.desc(),),
    "follow_up": (HumanTask.follow_up_at.is_(None), HumanTask.follow_up_at, HumanTask.created_at),
}
DUE_SOON = dt.timedelta(hours=24)
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


@dataclass(frozen=True, slots=True)
class ListedTask:
    """A listed task: the task table's columns (title and lane in the reader's language) and its instance's title.

    Read as plain columns, not as ORM objects: a page of them is shown, never changed.
    """

    id: str
    instance_id: int
    process_key: str
    task_name: str
    title: str
    lane: str | None
    role: str | None
    assignee: str | None
    status: str
    priority: int
    customer_id: int | None
    created_at: dt.datetime
    due_at: dt.datetime | None
    follow_up_at: dt.datetime | None
    completed_by: str | None
    completed_at: dt.datetime | None
    instance_title: str

    @property
    def due_state(self) -> str:
        """:func:`due_state` of the task."""
        return due_state(self)

    @property
    def priority_label(self) -> str:
        """:func:`priority_label` of the task's priority."""
        return priority_label(self.priority)

    @property
    def follow_up_due(self) -> bool:
        """:func:`follow_up_due` of the task."""
        return follow_up_due(self)


_TASK_COLUMNS = (HumanTask.id, HumanTask.instance_id, HumanTask.process_key, HumanTask.task_name, HumanTask.title,
                 HumanTask.lane, HumanTask.role, HumanTask.assignee, HumanTask.status, HumanTask.priority,
                 HumanTask.customer_id, HumanTask.created_at, HumanTask.due_at, HumanTask.follow_up_at,
                 HumanTask.completed_by, HumanTask.completed_at)
_LISTED_COLUMNS = (ProcessInstance.title.label("instance_title"), ProcessInstance.process_key.label("instance_process"),
                   ProcessInstance.version_id, ProcessVersion.content_hash, Customer.company,
                   key_figure_column().label("key_figure"))
"""What a row adds to the task's columns: its instance's title and process (translated by the version's catalog,
found by its content hash), its customer's name and its key figure."""


@dataclass
class Page:
    """One page of a list; ``count`` is the list's (capped) size, ``counts`` both lists' sizes, ``about`` what
    each listed task is about (by task id)."""

    items: list[ListedTask]
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


def _mine() -> Select:
    """The ready tasks assigned to the ``username`` parameter."""
    return _tasks().where(HumanTask.status == "ready", HumanTask.assignee == bindparam("username"))


def _queue(scoped: bool) -> Select:
    """Unassigned ready tasks of the lanes in the ``roles`` parameter, within a scope (``scoped``: not everyone's,
    the parameters of :func:`scope_parameters`)."""
    return _tasks().where(HumanTask.status == "ready", HumanTask.assignee.is_(None),
                          HumanTask.role.in_(bindparam("roles", expanding=True)), scope_condition(scoped))


def list_parameters(actor: Actor, scope: OwnerScope) -> dict:
    """The parameters of :func:`_mine` and :func:`_queue` for ``actor`` within ``scope``."""
    return {"username": actor.username, "roles": sorted(actor.roles), **scope_parameters(scope)}


@dataclass(frozen=True)
class _Shape:
    """What decides a list statement's form (its values are parameters): one statement per shape and process."""

    which: tuple[str, ...]
    scoped: bool
    process: bool
    q: bool
    q_instance: bool
    customer: bool
    overdue: bool
    min_priority: bool
    sort: str

    @classmethod
    def of(cls, which: tuple[str, ...], scope: OwnerScope, flt: TaskFilter) -> _Shape:
        return cls(which, scope is not None, bool(flt.process), bool(flt.q), flt.q.lstrip("#").isdecimal(),
                   flt.customer_id is not None, flt.overdue, flt.min_priority is not None, flt.sort)

    def parameters(self, actor: Actor, scope: OwnerScope, flt: TaskFilter, now: dt.datetime) -> dict:
        """The values of a statement of this shape."""
        values = {**list_parameters(actor, scope), "process": flt.process, "customer_id": flt.customer_id, "now": now,
                  "min_priority": flt.min_priority}
        if self.q:
            values["q_like"] = f"%{_like_escaped(flt.q)}%"
            values["q_instance"] = int(flt.q.lstrip("#")) if self.q_instance else None
        return values


def _like_escaped(text: str) -> str:
    """``text`` for a LIKE pattern escaped with ``/`` (as SQLAlchemy's ``autoescape`` does)."""
    return text.replace("/", "//").replace("%", "/%").replace("_", "/_")


def _filtered(query: Select, shape: _Shape) -> Select:
    if shape.process:
        query = query.where(HumanTask.process_key == bindparam("process"))
    if shape.q:
        pattern = func.lower(bindparam("q_like"))  # lowered as the column is (SQLite lowers only ASCII)
        words = [func.lower(HumanTask.title).like(pattern, escape="/"),
                 func.lower(Customer.company).like(pattern, escape="/")]
        if shape.q_instance:
            words.append(HumanTask.instance_id == bindparam("q_instance"))
        query = query.where(or_(*words))
    if shape.customer:
        query = query.where(HumanTask.customer_id == bindparam("customer_id"))
    if shape.overdue:
        query = query.where(HumanTask.due_at < bindparam("now"))
    if shape.min_priority:
        query = query.where(HumanTask.priority >= bindparam("min_priority"))
    return query


def _capped_count(query: Select) -> Select:
    """``SELECT count(*) FROM (SELECT 1 ... LIMIT COUNT_CAP + 1)``: stops reading after the cap."""
    rows = query.with_only_columns(literal_column("1"), maintain_column_froms=True).limit(COUNT_CAP + 1)
    return select(func.count()).select_from(rows.subquery())


@functools.lru_cache(maxsize=256)
def _statements(shape: _Shape) -> tuple[Select, dict[str, Select]]:
    """The statement counting both lists and each listed list's page statement, for one shape: built once per
    process (building them cost more Python than running them), their values passed as parameters."""
    lists = {"mine": _mine(), "queue": _queue(shape.scoped)}
    lists = {name: _filtered(query, shape) for name, query in lists.items()}
    counts = select(*(_capped_count(query).scalar_subquery() for query in lists.values()))
    pages = {name: lists[name].with_only_columns(*_TASK_COLUMNS, *_LISTED_COLUMNS, maintain_column_froms=True)
             .join(ProcessInstance, ProcessInstance.id == HumanTask.instance_id)
             .join(ProcessVersion, ProcessVersion.id == ProcessInstance.version_id)
             .order_by(*SORTS[shape.sort]).offset(bindparam("offset")).limit(bindparam("limit"))
             for name in shape.which}
    return counts, pages


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
    page = max(page, 1)
    scope = owner_scope(session, actor, user)
    shape = _Shape.of(tuple(which), scope, flt)
    count_statement, page_statements = _statements(shape)
    values = shape.parameters(actor, scope, flt, utcnow())
    counted = session.execute(count_statement, values).one()
    counts = {name: TaskCount.of(n) for name, n in zip(LISTS, counted, strict=True)}
    values.update(offset=(page - 1) * per_page, limit=per_page + 1)  # one row more tells whether a next page exists
    pages = {}
    for name in which:
        rows = session.execute(page_statements[name], values).all()
        listed = rows[:per_page]
        text = labels.lookup(session, {row.version_id: row.content_hash for row in listed})
        items = [_listed(row, text) for row in listed]
        about = {row.id: About.of(row.process_key, row.company, row.key_figure) for row in listed}
        pages[name] = Page(items, counts[name], page, per_page, len(rows) > per_page, counts, about)
    return pages


_TASK_FIELDS = len(_TASK_COLUMNS)


def _listed(row, text: Callable[[int, str, str], str]) -> ListedTask:
    """A page row as a :class:`ListedTask`, its titles and lane in the reader's language (``text``:
    :func:`labels.lookup`)."""
    task, version_id = row[:_TASK_FIELDS], row.version_id
    title = text(version_id, row.task_name, row.title)
    lane = text(version_id, f"lane:{row.lane}", row.lane) if row.lane else row.lane
    return ListedTask(*task[:4], title, lane, *task[6:], text(version_id, row.instance_process, row.instance_title))


class Colleague(NamedTuple):
    """Someone a task can be handed to."""

    username: str
    display_name: str


def colleagues(session: Session, role: str | None, actor: Actor) -> list[Colleague]:
    """Active users a task of ``role`` can be handed to: holders of the role except the actor."""
    return colleagues_by_role(session, {role}, actor).get(role, [])


def colleagues_by_role(session: Session, roles: set[str | None], actor: Actor) -> dict[str, list[Colleague]]:
    """:func:`colleagues` of several roles in one query (names read as columns)."""
    wanted = sorted(role for role in roles if role is not None)
    found: dict[str, list[Colleague]] = {role: [] for role in wanted}
    if not wanted:
        return found
    rows = session.execute(_COLLEAGUES, {"roles": wanted, "username": actor.username})
    for role, username, display_name in rows:
        found[role].append(Colleague(username, display_name))
    return found


_COLLEAGUES = (
    select(Role.key, User.username, User.display_name).join(User.roles)
    .where(Role.key.in_(bindparam("roles", expanding=True)), User.active.is_(True),
           User.username != bindparam("username"))
    .order_by(User.display_name)
)


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
