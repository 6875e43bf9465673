"""Ending a user's sessions: every session cookie and API token carries the user's ``session_epoch``.

A cookie or token whose epoch is not the user's current one signs nobody in, so raising the epoch ends
every session and token issued before, on every web process at once (nothing is kept in memory).
"""

from __future__ import annotations

from collections.abc import Iterable

from crm.accounts.users import Role, User


def end_all_sessions(user: User) -> None:
    """Sign ``user`` out everywhere: every earlier session cookie and API token stops working."""
    user.session_epoch = (user.session_epoch or 0) + 1


def change_roles(user: User, roles: Iterable[Role]) -> None:
    """Give ``user`` exactly ``roles``; a change ends their sessions (they sign in again)."""
    roles = list(roles)
    if {role.key for role in roles} != set(user.role_keys):
        user.roles = roles
        end_all_sessions(user)


def change_active(user: User, active: bool) -> None:
    """Activate or deactivate ``user``; deactivating ends their sessions."""
    if user.active and not active:
        end_all_sessions(user)
    user.active = active
