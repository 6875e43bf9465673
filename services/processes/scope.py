"""Data scope of tasks: a salesperson's customers are theirs (and their manager's), not the whole lane's.

Only the lanes in :data:`SCOPED_LANES` are narrowed; service, finance and approval lanes serve every
customer. A task about a customer nobody owns, or about no customer and in the lane's queue, stays visible to
the whole lane; one about no customer that is assigned to someone (a salesperson's own periodic report or
expense claim) is theirs and their managers'.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, bindparam, case, or_, select, true
from sqlalchemy.orm import Session

from crm.accounts.access import visible_owner_ids
from crm.accounts.users import User
from crm.customers.models import Customer
from engine.models import HumanTask
from engine.runtime import Actor

SCOPED_LANES = ("salesperson",)

OwnerScope = set[int] | None
"""Ids of the owners whose customers' tasks someone may see; None means every owner."""


def owner_scope(session: Session, actor: Actor, user: User | None = None) -> OwnerScope:
    """The actor's owner scope (see :func:`crm.accounts.access.visible_owner_ids`); ``user`` is the actor's row
    when the caller has it loaded already (saves looking it up).

    Resolved once per session, i.e. per request or job (a task page asks twice: may they work on it, do they
    answer for its customer); the next request, with its new session, sees a changed team or manager.
    """
    resolved = session.info.setdefault(_SCOPES, {})
    if actor.username not in resolved:
        if user is None or user.username != actor.username:
            user = _loaded_user(session, actor.username) or session.scalar(
                select(User).where(User.username == actor.username))
        resolved[actor.username] = visible_owner_ids(session, user) if user is not None else set()
    return resolved[actor.username]


def _loaded_user(session: Session, username: str) -> User | None:
    """The user's row if this session holds it already (the request's signed-in user: no second query)."""
    return next((row for row in session.identity_map.values() if isinstance(row, User) and row.username == username),
                None)


_SCOPES = "owner_scopes"
"""``session.info`` key of the scopes resolved in this session, by username."""


def in_scope(session: Session, row: HumanTask, scope: OwnerScope) -> bool:
    """Whether a task lies within ``scope``: its customer's owner, or — for a task about no customer that is
    assigned to someone (their own sales report, their expense claim) — its assignee."""
    if scope is None or row.role not in SCOPED_LANES or (row.customer_id is None and row.assignee is None):
        return True
    if row.customer_id is None:
        owner_id = session.scalar(select(User.id).where(User.username == row.assignee))
    else:
        owner_id = session.scalar(select(Customer.owner_id).where(Customer.id == row.customer_id))
    return owner_in_scope(row, scope, owner_id)


def scope_owner_id() -> ColumnElement[int | None]:
    """SQL over the task table for the user whose scope decides :func:`in_scope`: the owner of the task's customer,
    or — for a task about no customer — its assignee's id (to read with the task)."""
    assignee_id = select(User.id).where(User.username == HumanTask.assignee).scalar_subquery()
    owner_id = select(Customer.owner_id).where(Customer.id == HumanTask.customer_id).scalar_subquery()
    return case((HumanTask.customer_id.is_(None), assignee_id), else_=owner_id)


def owner_in_scope(row: HumanTask, scope: OwnerScope, owner_id: int | None) -> bool:
    """:func:`in_scope` with the deciding user already read (``owner_id``, as :func:`scope_owner_id` gives it)."""
    if scope is None or row.role not in SCOPED_LANES:
        return True
    if row.customer_id is None:
        return row.assignee is None or owner_id in scope
    return owner_id is None or owner_id in scope


def scope_condition(scoped: bool) -> ColumnElement[bool]:
    """SQL for :func:`in_scope` over the task table (no workflow is loaded), for a scope that is not everyone's
    (``scoped``); the scope's owner ids are the parameters :func:`scope_parameters` gives, so that the statement
    can be built once."""
    if not scoped:
        return true()
    owner_ids = bindparam("scope_owner_ids", expanding=True)
    foreign = select(Customer.id).where(Customer.owner_id.is_not(None), Customer.owner_id.not_in(owner_ids))
    colleagues = select(User.username).where(User.id.in_(owner_ids))
    about_no_customer = and_(HumanTask.customer_id.is_(None),
                             or_(HumanTask.assignee.is_(None), HumanTask.assignee.in_(colleagues)))
    return or_(HumanTask.role.is_(None), HumanTask.role.not_in(SCOPED_LANES), about_no_customer,
               HumanTask.customer_id.not_in(foreign))


def scope_parameters(scope: OwnerScope) -> dict[str, list[int]]:
    """The parameters of :func:`scope_condition` for ``scope``."""
    return {} if scope is None else {"scope_owner_ids": sorted(scope)}


def owns_task(session: Session, row: HumanTask, actor: Actor) -> bool:
    """Whether the actor answers for the task's customer: a member of its (scoped) lane who owns the customer or
    manages its owner. They may release or take back the task whoever holds it."""
    if row.role not in SCOPED_LANES or row.role not in actor.roles or row.customer_id is None:
        return False
    scope = owner_scope(session, actor)
    owner_id = session.scalar(select(Customer.owner_id).where(Customer.id == row.customer_id))
    return scope is not None and owner_id is not None and owner_id in scope

