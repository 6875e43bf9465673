"""The password policy: what a new password must not be (checked wherever a password is set)."""

from __future__ import annotations

from functools import cache

from i18n import _

MIN_LENGTH = 10
MAX_LENGTH = 200


@cache
def _common_passwords() -> frozenset[str]:
    """The 30,000 most common passwords of zxcvbn's frequency lists (lower case), loaded once."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problems(username: str, password: str) -> list[str]:
    """Why ``password`` may not be used by ``username``: empty when it passes the policy.

    At least :data:`MIN_LENGTH` characters (at most :data:`MAX_LENGTH`), not containing the username,
    not one of the most common passwords.
    """
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(_("Use at least %(n)s characters.", n=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        problems.append(_("Use at most %(n)s characters.", n=MAX_LENGTH))
    name = username.strip().casefold()
    if name and name in password.casefold():
        problems.append(_("Do not use the username in the password."))
    if password.casefold() in _common_passwords():
        problems.append(_("This is one of the most common passwords; choose another."))
    return problems
