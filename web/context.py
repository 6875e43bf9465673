"""Template context: navigation by role and the current user's counts."""

from __future__ import annotations

from dataclasses import dataclass

from flask import request, url_for
from flask_login import current_user


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    icon: str
    active: bool


_NAV = (
    # (label, endpoint, icon, roles allowed — empty means everyone)
    ("Worklist", "worklist.index", "inbox", ()),
    ("Start", "processes.start_menu", "play-circle", ()),
    ("Processes", "processes.library", "diagram-3", ("process_owner", "administrator")),
    ("Users", "admin_users.index", "people", ("administrator",)),
)


def inject_navigation() -> dict:
    """``nav_items`` and ``logout_url`` for ``base.html``."""
    if not current_user.is_authenticated:
        return {"nav_items": []}
    roles = current_user.role_keys
    items = [
        NavItem(label, url_for(endpoint), icon, request.endpoint == endpoint)
        for label, endpoint, icon, allowed in _NAV
        if not allowed or roles & set(allowed)
    ]
    return {"nav_items": items, "logout_url": url_for("auth.logout")}
