"""The report filters of the current request: read from the query string in the site time zone, and what the
filter bar of a page needs (choices within the viewer's scope, the current values, the query to keep)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import request

from services.reporting.filter_choices import filter_choices
from services.reporting.filters import PERIOD_NAMES, ReportFilter, parse_filter, site_today
from web import db


def site_zone() -> ZoneInfo:
    """The site's time zone (``CRM_TIMEZONE``)."""
    return ZoneInfo(db.platform().settings.timezone)


def request_filter(default_period: str = "") -> ReportFilter:
    """The filter the request's query string asks for (defaults where a value is missing or not understood;
    ``default_period`` when the query names none)."""
    zone = site_zone()
    args = request.args.to_dict()
    if default_period and not args.get("period"):
        args["period"] = default_period
    return parse_filter(args, site_today(zone), zone)


def filter_page_context(report_filter: ReportFilter, scope: set[int] | None) -> dict:
    """Template variables of the filter bar (``reporting/_filters.html``) for a viewer whose data scope is
    ``scope`` (:func:`web.input.owner_ids`)."""
    return {"report_filter": report_filter, "filter_args": report_filter.query_args(), "period_names": PERIOD_NAMES,
            "choices": filter_choices(db.session(), scope)}


def filter_names(report_filter: ReportFilter, scope: set[int] | None) -> dict[str, str]:
    """How the chosen salesperson and team read (within the choices of a viewer whose data scope is ``scope``;
    blank when none or outside)."""
    choices = filter_choices(db.session(), scope)
    return {"salesperson": dict(choices.salespeople).get(report_filter.salesperson_id, ""),
            "team": dict(choices.teams).get(report_filter.team_id, "")}
