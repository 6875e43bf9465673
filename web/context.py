"""Template context: navigation by role and the current user's counts."""

from __future__ import annotations

from dataclasses import dataclass

from babel.support import LazyProxy
from flask import current_app, request, url_for
from flask_login import current_user

from crm.notifications.messages import unread_count
from i18n import _l

from . import db


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    icon: str
    active: bool


_NAV = (
    # (label, endpoint, icon, roles allowed — empty means everyone)
    (_l("Worklist"), "worklist.index", "inbox", ()),
    (_l("Start"), "processes.start_menu", "play-circle", ()),
    (_l("Processes"), "processes.library", "diagram-3", ("process_owner", "administrator")),
    (_l("Users"), "admin_users.index", "people", ("administrator",)),
    (_l("Instances"), "admin_instances.index", "activity", ("administrator",)),
    (_l("Health"), "admin_instances.health", "heart-pulse", ("administrator",)),
    (_l("Webhooks"), "admin_webhooks.index", "broadcast", ("administrator",)),
    (_l("Quotes"), "quotes.index", "file-earmark-text", ("salesperson", "customer_director", "sales_director")),
    (_l("Contracts"), "contracts.index", "file-earmark-check",
     ("salesperson", "customer_director", "sales_director", "finance", "administrator")),
    (_l("Projects"), "projects.index", "kanban", ("salesperson", "customer_director", "sales_director")),
    (_l("Costs"), "product_costs.index", "tag",
     ("customer_director", "sales_director", "marketing_director", "finance")),
    (_l("Receivables"), "payments.receivables_page", "cash-coin", ("finance", "customer_director", "sales_director")),
    (_l("Service"), "service.index", "tools", ("service_agent", "engineer", "customer_director", "finance")),
    (_l("Schedule"), "engineers.schedule", "calendar-week", ("service_agent", "engineer", "administrator")),
    (_l("Customers"), "customers.index", "building", ()),
    (_l("Pipeline"), "opportunities.board", "funnel",
     ("salesperson", "customer_director", "sales_director", "marketing_director", "administrator")),
    (_l("My day"), "plans.mine", "calendar-check", ("salesperson",)),
    (_l("Team plans"), "plans.team", "people", ("sales_director", "customer_director")),
    (_l("Tracking"), "tracking_pages.links", "link-45deg", ("marketing_director",)),
    (_l("Import"), "imports.index", "upload", ("information_officer", "administrator")),
    (_l("Data quality"), "quality.index", "clipboard-check", ("information_officer", "administrator")),
    (_l("Campaigns"), "campaigns.index", "megaphone",
     ("marketing_director", "customer_director", "sales_director", "administrator")),
    (_l("Sales reports"), "periodic_reports.index", "journal-text",
     ("salesperson", "customer_director", "sales_director", "marketing_director", "administrator")),
    (_l("Reports"), "reports.index", "bar-chart-line",
     ("salesperson", "information_officer", "customer_director", "sales_director", "marketing_director", "finance",
      "service_agent", "engineer", "administrator")),
    (_l("KPIs"), "kpi.index", "speedometer2",
     ("salesperson", "customer_director", "sales_director", "marketing_director", "finance", "administrator")),
)


_MENUS = "crm_menus"
"""The application's cache of menus: ``{(roles, script root): ((label, url, icon, endpoint), ...)}``."""
_LINKS = ("auth.logout", "account.show", "notifications.index", "search.results")


def _menu(roles: frozenset[str]) -> tuple[tuple[tuple[LazyProxy, str, str, str], ...], tuple[str, ...]]:
    """The entries of ``_NAV`` open to ``roles`` with their URLs, followed by the URLs of ``_LINKS``.

    Built once per set of roles and script root in each application (the URLs come from its URL map, which does
    not change while it runs); the labels stay lazy, translated per request.
    """
    menus = current_app.extensions.setdefault(_MENUS, {})
    key = (roles, request.script_root)
    menu = menus.get(key)
    if menu is None:
        entries = tuple((label, url_for(endpoint), icon, endpoint) for label, endpoint, icon, allowed in _NAV
                        if not allowed or roles & set(allowed))
        menu = menus[key] = (entries, tuple(url_for(endpoint) for endpoint in _LINKS))
    return menu


def inject_navigation() -> dict:
    """``nav_items``, ``logout_url``, ``account_url``, the bell's ``unread_count`` / ``notifications_url`` and
    the search box's ``search_url`` for ``base.html``."""
    if not current_user.is_authenticated:
        return {"nav_items": []}
    entries, (logout_url, account_url, notifications_url, search_url) = _menu(frozenset(current_user.role_keys))
    here = request.endpoint
    items = [NavItem(str(label), url, icon, here == endpoint) for label, url, icon, endpoint in entries]
    return {"nav_items": items, "logout_url": logout_url, "account_url": account_url,
            "unread_count": unread_count(db.session(), current_user.id),
            "notifications_url": notifications_url, "search_url": search_url}
