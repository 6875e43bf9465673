"""The password policy: what a new password must not be (checked wherever a password is set)."""

from __future__ import annotations

from functools import cache

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
        problems.append(f"Use at least {MIN_LENGTH} characters.")
    if len(password) > MAX_LENGTH:
        problems.append(f"Use at most {MAX_LENGTH} characters.")
    name = username.strip().casefold()
    if name and name in password.casefold():
        problems.append("Do not use the username in the password.")
    if password.casefold() in _common_passwords():
        problems.append("This is one of the most common passwords; choose another.")
    return problems
