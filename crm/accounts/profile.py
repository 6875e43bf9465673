"""What users change on their own account: display name, phone (for text messages), language, time zone,
notification channels and password (the current one is asked for first; the policy is crm.accounts.passwords)."""

from __future__ import annotations

from collections.abc import Mapping
from zoneinfo import available_timezones

from sqlalchemy.orm import Session

from crm import fields
from crm.accounts.access import check_password, set_password
from crm.accounts.passwords import password_problems
from crm.accounts.users import User
from i18n import LANGUAGES, _

PROFILE_RULES = {"display_name": (200, True, None), "phone": (50, False, fields.phone)}


def _language(raw: str) -> str:
    if raw and raw not in LANGUAGES:
        raise fields.FieldError(_("choose one of the offered languages"))
    return raw


def _timezone(raw: str) -> str:
    if raw and raw not in available_timezones():
        raise fields.FieldError(_("choose one of the offered time zones"))
    return raw


CHOICE_RULES = {"language": (10, False, _language), "timezone": (64, False, _timezone)}


def update_profile(session: Session, user: User, form: Mapping[str, str]) -> list[str]:
    """Save display name, phone, language, time zone and notification choices; returns what changed
    (:class:`crm.fields.RecordInvalid` names refused fields)."""
    values: dict = fields.collect(form, {**PROFILE_RULES, **CHOICE_RULES})
    values["notify_email"] = form.get("notify_email") == "1"
    values["notify_sms"] = form.get("notify_sms") == "1"
    if values["notify_sms"] and not values["phone"]:
        raise fields.RecordInvalid({"phone": _("text messages need a phone number")})
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
        errors["current_password"] = _("this is not your current password")
    problems = password_problems(user.username, new)
    if problems:
        errors["new_password"] = " ".join(problems)
    elif new != repeated:
        errors["repeat_password"] = _("the two new passwords differ")
    elif new == current:
        errors["new_password"] = _("choose a password different from the current one")
    if errors:
        raise fields.RecordInvalid(errors)
    set_password(user, new)
    session.flush()
