"""What users change on their own account: display name, phone (for text messages), notification channels and
password (the current one is asked for first; the policy is crm.accounts.passwords)."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.orm import Session

from crm import fields
from crm.accounts.access import check_password, set_password
from crm.accounts.passwords import password_problems
from crm.accounts.users import User

PROFILE_RULES = {"display_name": (200, True, None), "phone": (50, False, fields.phone)}


def update_profile(session: Session, user: User, form: Mapping[str, str]) -> list[str]:
    """Save display name, phone and notification choices; returns what changed
    (:class:`crm.fields.RecordInvalid` names refused fields)."""
    values: dict = fields.collect(form, PROFILE_RULES)
    values["notify_email"] = form.get("notify_email") == "1"
    values["notify_sms"] = form.get("notify_sms") == "1"
    if values["notify_sms"] and not values["phone"]:
        raise fields.RecordInvalid({"phone": "text messages need a phone number"})
    changed = [name for name, value in values.items() if getattr(user, name) != value]
    for name in changed:
        setattr(user, name, values[name])
    session.flush()
    return changed


def change_password(session: Session, user: User, current: str, new: str, repeated: str) -> None:
    """Replace the password after checking the current one and the policy (:mod:`crm.accounts.passwords`);
    every session and API token of the user ends (the web renews the one that asked)."""
    errors = {}
    if not check_password(user, current):
        errors["current_password"] = "this is not your current password"
    problems = password_problems(user.username, new)
    if problems:
        errors["new_password"] = " ".join(problems)
    elif new != repeated:
        errors["repeat_password"] = "the two new passwords differ"
    elif new == current:
        errors["new_password"] = "choose a password different from the current one"
    if errors:
        raise fields.RecordInvalid(errors)
    set_password(user, new)
    session.flush()
