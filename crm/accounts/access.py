"""Account services: create users, set and check passwords, resolve data scope."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from functools import cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from sqlalchemy import ColumnElement, ScalarSelect, String, cast, func, select
from sqlalchemy.orm import Session, lazyload

from crm.accounts.sessions import end_all_sessions
from crm.accounts.users import ROLES, Role, Team, User

_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


USERNAME_MAX_LENGTH = 100


def username_problems(username: str) -> list[str]:
    """Why ``username`` cannot name a new user: empty when it is 1-100 printable characters, no spaces."""
    if not username or len(username) > USERNAME_MAX_LENGTH:
        return [f"A username has 1 to {USERNAME_MAX_LENGTH} characters."]
    if not username.isprintable() or any(ch.isspace() for ch in username):
        return ["A username has no spaces or control characters."]
    return []


def ensure_roles(session: Session) -> None:
    """Create every known role that is missing."""
    existing = set(session.scalars(select(Role.key)))
    session.add_all(Role(key=k, label=v) for k, v in ROLES.items() if k not in existing)
    session.flush()


def create_user(
    session: Session, username: str, password: str, display_name: str, roles: Iterable[str],
    *, email: str = "", phone: str = "", manager: User | None = None, team: Team | None = None,
) -> User:
    """Add a user with a hashed password and the given role keys."""
    role_rows = list(session.scalars(select(Role).where(Role.key.in_(list(roles)))))
    user = User(
        username=username, display_name=display_name, password_hash=_hasher.hash(password),
        email=email, phone=phone, manager=manager, team=team, roles=role_rows,
    )
    session.add(user)
    session.flush()
    return user


def set_password(user: User, password: str) -> None:
    """Store a new password for ``user``; their earlier sessions and API tokens stop working.

    Check it first with :func:`crm.accounts.passwords.password_problems`.
    """
    user.password_hash = _hasher.hash(password)
    end_all_sessions(user)


def check_password(user: User | None, password: str) -> bool:
    """Whether ``password`` is ``user``'s; for no user a dummy hash is checked, so both take the same time."""
    stored = user.password_hash if user is not None else _dummy_hash()
    try:
        matches = _hasher.verify(stored, password)
    except (VerifyMismatchError, InvalidHashError):
        return False
    return matches and user is not None


@cache
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


def subordinates(session: Session, user: User) -> list[User]:
    """Everyone reporting to ``user``, directly or indirectly (see :func:`subordinate_ids`)."""
    ids = subordinate_ids(session, user.id)
    return list(session.scalars(select(User).where(User.id.in_(ids)))) if ids else []


def subordinate_ids(session: Session, user_id: int) -> set[int]:
    """Ids of everyone reporting to the user, directly or indirectly, in one (recursive) query.

    The signed-in user's are read with their row at the start of the request (:func:`reports_of`), like their
    roles: a change of manager shows on their next request.
    """
    known = session.info.get(_REPORTS, {}).get(user_id)
    if known is not None:
        return set(known)
    return set(session.scalars(select(_reports_tree(user_id).c.id)))


def reports_of(user_id: int | ColumnElement[int]) -> ScalarSelect:
    """SQL for the comma-separated ids of everyone reporting to the user (None: nobody), to read with their row
    (``user_id`` may be a bound parameter of that statement)."""
    tree = _reports_tree(user_id)
    return select(func.aggregate_strings(cast(tree.c.id, String), ",")).scalar_subquery()


def remember_reports(session: Session, user_id: int, reports: str | None) -> None:
    """Keep what :func:`reports_of` read for this session (the request): :func:`subordinate_ids` answers from it."""
    session.info.setdefault(_REPORTS, {})[user_id] = frozenset(int(i) for i in reports.split(",")) if reports \
        else frozenset()


def _reports_tree(user_id: int | ColumnElement[int]):
    tree = select(User.id).where(User.manager_id == user_id).cte("reports", recursive=True)
    return tree.union(select(User.id).where(User.manager_id == tree.c.id))


_REPORTS = "reports_by_user"
"""``session.info`` key of the reports read with the signed-in user, by user id."""


COST_ROLES = frozenset({"customer_director", "sales_director", "marketing_director", "finance"})
"""Roles shown costs and margins (product costs, line costs, gross margin): directors and finance."""


def sees_costs(user: User) -> bool:
    """Whether ``user`` may see what products cost and the margins made on them."""
    return bool(user.role_keys & COST_ROLES)


def visible_owner_ids(session: Session, user: User) -> set[int] | None:
    """Owners whose records ``user`` may see; None means everyone (directors, finance, admins)."""
    if user.role_keys & {"administrator", "customer_director", "marketing_director", "finance",
                         "information_officer"}:
        return None
    return {user.id} | subordinate_ids(session, user.id)


def assignable_username(session: Session, value: Any, role: str | None) -> str | None:
    """The username of the active user ``value`` names (username or user id), if they hold ``role``.

    The engine's assignee resolver: ``camunda:assignee="${engineer}"`` may hold a user reference field's id.
    """
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        return None
    query = select(User).where(User.active.is_(True))
    if isinstance(value, int) or value.strip().isdigit():
        query = query.where(User.id == int(value))
    else:
        query = query.where(User.username == value.strip())
    user = session.scalar(query)
    if user is None or (role and role not in user.role_keys):
        return None
    return user.username


def users_with_role(session: Session, role: str) -> list[User]:
    """Active users holding ``role`` (their own roles are loaded only if read)."""
    return list(session.scalars(
        select(User).join(User.roles).where(Role.key == role, User.active.is_(True)).order_by(User.username)
        .options(lazyload(User.roles))
    ))
