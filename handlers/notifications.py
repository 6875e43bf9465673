"""Telling people from a handler: through ``ctx.services["notifier"]`` when the platform has one."""

from __future__ import annotations

from crm.accounts.access import users_with_role
from engine.services import HandlerContext
from services.notifications.notifier import Text


def text_message(ctx: HandlerContext, to: list[str], subject: Text, body: Text,
                 link: str = "") -> tuple[list[str], bool]:
    """Send an in-app note and a text message to usernames and ``role:<key>`` items; a text given as a function
    is written for each recipient in their language.

    Returns who was addressed and whether a notifier sent it; without one, the names are still
    resolved so the caller can record who should have been told.
    """
    notifier = ctx.services.get("notifier")
    if notifier is not None:
        users = notifier.notify(ctx.session, to, subject, body, channels=("in_app", "sms"), link=link)
        return [u.username for u in users], True
    names: list[str] = []
    for item in to:
        found = [u.username for u in users_with_role(ctx.session, item[5:])] if item.startswith("role:") else [item]
        names += [name for name in found if name not in names]
    return names, False
