"""Reports: customer analyses, KPIs by month and service analyses within the viewer's data scope."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Response, jsonify, render_template
from flask_login import current_user, login_required

from services.reporting.reports import NOT_SUPPORTED, build_reports
from services.reporting.workbook import workbook_bytes
from web import db
from web.input import owner_ids

bp = Blueprint("reports", __name__, url_prefix="/reports")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SERVICE_STAFF = ("service_agent", "engineer")
"""Roles that see every customer's service analyses."""


@bp.before_request
@login_required
def signed_in() -> None:
    """Every signed-in user; the figures are narrowed to their data scope."""


def _reports():
    return build_reports(db.session(), owner_ids(), service_staff=current_user.has_role(*SERVICE_STAFF))


@bp.get("/")
def index():
    return render_template("reporting/reports.html", reports=[r.as_dict() for r in _reports()],
                           not_supported=NOT_SUPPORTED)


@bp.get("/data.json")
def data():
    return jsonify(reports=[r.as_dict() for r in _reports()], not_supported=NOT_SUPPORTED)


@bp.get("/export.xlsx")
def export():
    filename = f"crm-reports-{dt.date.today():%Y-%m-%d}.xlsx"
    return Response(workbook_bytes(_reports(), NOT_SUPPORTED), mimetype=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
