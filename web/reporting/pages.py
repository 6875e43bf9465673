"""Reports: customer analyses, KPIs by month and service analyses within the viewer's data scope, narrowed by
the filters in the query string (period, salesperson or team, region, industry, grade)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template
from flask_login import current_user, login_required

from crm.accounts.access import sees_costs
from services.reporting.report_types import Report
from services.reporting.reports import build_reports
from services.reporting.workbook import workbook_bytes
from web import db
from web.input import owner_ids
from web.reporting.figures import figure_tables
from web.reporting.filtering import filter_names, filter_page_context, request_filter

bp = Blueprint("reports", __name__, url_prefix="/reports")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SERVICE_STAFF = ("service_agent", "engineer")
"""Roles that see every customer's service analyses."""


@bp.before_request
@login_required
def signed_in() -> None:
    """Every signed-in user; the figures are narrowed to their data scope."""


def _reports(report_filter, scope: set[int] | None):
    return build_reports(db.session(), scope, report_filter,
                         service_staff=current_user.has_role(*SERVICE_STAFF), costs=sees_costs(current_user.user))


@bp.get("/")
def index():
    report_filter, scope = request_filter(), owner_ids()
    reports = _reports(report_filter, scope)
    sections: dict[str, list[Report]] = {}
    for report in reports:
        sections.setdefault(report.section, []).append(report)
    return render_template("reporting/reports.html", sections=sections, tables=figure_tables(reports),
                           chart_data=[r.as_dict() for r in reports], **filter_page_context(report_filter, scope))


@bp.get("/data.json")
def data():
    report_filter = request_filter()
    return jsonify(reports=[r.as_dict() for r in _reports(report_filter, owner_ids())],
                   filters=report_filter.query_args(), problems=list(report_filter.problems))


@bp.get("/export.xlsx")
def export():
    report_filter, scope = request_filter(), owner_ids()
    filename = f"crm-reports-{report_filter.first:%Y-%m-%d}-{report_filter.last:%Y-%m-%d}.xlsx"
    return Response(workbook_bytes(_reports(report_filter, scope), report_filter,
                                   filter_names(report_filter, scope)), mimetype=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
