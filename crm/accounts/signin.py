"""Signing in with a password, throttled per (username, address) and per address.

Failed attempts are rows (every web process sees the same counts). A username and address with
``pair_limit`` failures in the window are refused, and so is an address with ``address_limit`` failures
over any usernames (a password spray). A username attacked from elsewhere never stops its owner from
signing in from a clean address. Unknown and inactive users cost one password hash like known ones,
so the answer's timing does not tell whether a username exists.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from crm.accounts.access import USERNAME_MAX_LENGTH, check_password
from crm.accounts.users import LoginAttempt, User
from crm.base import utcnow

ADDRESS_MAX_LENGTH = 45  # an IPv6 address in text
PASSWORD_MAX_LENGTH = 1000


class LoginThrottled(Exception):
    """Too many failed attempts recently for this username from this address, or from this address."""


@dataclass(frozen=True)
class Throttle:
    """Failures allowed in ``window``: per username and address, and per address."""

    pair_limit: int
    address_limit: int
    window: dt.timedelta


def authenticate(session: Session, username: str, password: str, address: str, throttle: Throttle) -> User | None:
    """The active user with these credentials, or None (the failure is recorded).

    Raises :class:`LoginThrottled` before checking anything when the address is past a limit.
    """
    username, address = username[:USERNAME_MAX_LENGTH + 1], (address or "-")[:ADDRESS_MAX_LENGTH]
    pair_failures = _check_throttle(session, username[:USERNAME_MAX_LENGTH], address, throttle)
    user = None
    if len(username) <= USERNAME_MAX_LENGTH:
        user = session.scalar(select(User).where(User.username == username))
    if check_password(user, password[:PASSWORD_MAX_LENGTH]) and len(password) <= PASSWORD_MAX_LENGTH \
            and user.active:
        if pair_failures:  # without recent ones, older failures of the pair count for nothing already
            session.execute(delete(LoginAttempt).where(LoginAttempt.username == username,
                                                       LoginAttempt.address == address))
        return user
    session.add(LoginAttempt(username=username[:USERNAME_MAX_LENGTH], address=address))
    session.flush()
    return None


def _check_throttle(session: Session, username: str, address: str, throttle: Throttle) -> int:
    """The recent failures of this username from this address (both counts in one statement); raises
    :class:`LoginThrottled` when they or the address's failures over any usernames reach their limit."""
    pair, from_address = session.execute(
        select(func.count().filter(LoginAttempt.username == username), func.count())
        .where(LoginAttempt.address == address, LoginAttempt.at >= utcnow() - throttle.window)).one()
    minutes = int(throttle.window.total_seconds() // 60)
    if pair >= throttle.pair_limit:
        raise LoginThrottled(f"too many failed logins; try again in {minutes} minutes")
    if from_address >= throttle.address_limit:
        raise LoginThrottled(f"too many failed logins from your address; try again in {minutes} minutes")
    return pair


def forget_old_attempts(session: Session, now: dt.datetime, window: dt.timedelta = dt.timedelta(days=1)) -> int:
    """Delete failed attempts older than a day (a periodic task of the scheduler)."""
    return session.execute(delete(LoginAttempt).where(LoginAttempt.at < now - window)).rowcount
