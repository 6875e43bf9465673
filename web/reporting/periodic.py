"""The salespeople's periodic reports (bpmn/sales_report.bpmn): list, one report (page and PDF), the spreadsheet
export and a team's period side by side for directors. Writing and reviewing happen in the report's tasks."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Response, abort, render_template, request
from flask_login import current_user, login_required

from crm.base import utcnow
from crm.orders.contract_documents import render_pdf
from crm.reporting.periodic_reports import REPORT_KINDS
from crm.sales.activities import ACTIVITY_KINDS
from services.reporting.periodic_context import period_label, report_title, shown
from services.reporting.periodic_figures import sections
from services.reporting.periodic_views import (
    export_xlsx,
    report_in_scope,
    reports_in_scope,
    salespeople_in_scope,
    team_period,
)
from web import db
from web.reporting.filtering import site_zone

bp = Blueprint("periodic_reports", __name__, url_prefix="/reports/periodic")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
READERS = ("salesperson", "customer_director", "sales_director", "marketing_director", "administrator")
"""Who reads periodic reports (their own and their team's; directors everyone's)."""
TEAM_READERS = ("customer_director", "sales_director", "administrator")
"""Who compares a team's reports of a period side by side."""


@bp.before_request
@login_required
def readers_only() -> None:
    if not current_user.has_role(*READERS):
        abort(403)


def _filters() -> tuple[str | None, int | None]:
    kind = request.args.get("kind") or None
    owner = request.args.get("owner", "")
    return (kind if kind in REPORT_KINDS else None), (int(owner) if owner.isdigit() else None)


@bp.get("/")
def index():
    kind, owner_id = _filters()
    session = db.session()
    return render_template("reporting/periodic_list.html", kinds=REPORT_KINDS, kind=kind, owner_id=owner_id,
                           people=salespeople_in_scope(session, current_user.user),
                           reports=reports_in_scope(session, current_user.user, kind=kind, owner_id=owner_id),
                           may_compare=current_user.has_role(*TEAM_READERS), period_label=period_label)


@bp.get("/export.xlsx")
def export():
    kind, owner_id = _filters()
    reports = reports_in_scope(db.session(), current_user.user, kind=kind, owner_id=owner_id)
    filename = f"sales-reports-{dt.date.today():%Y-%m-%d}.xlsx"
    return Response(export_xlsx(reports), mimetype=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _report(report_id: int):
    report = report_in_scope(db.session(), current_user.user, report_id)
    if report is None:
        abort(404)
    return report


@bp.get("/<int:report_id>")
def show(report_id: int):
    report = _report(report_id)
    return render_template("reporting/periodic_report.html", **_one(report))


def _one(report) -> dict:
    """What the report's page and its print show."""
    return {"report": report, "sections": sections(report.figures), "shown": shown, "title": report_title(report),
            "period": period_label(report), "activity_kinds": ACTIVITY_KINDS}


@bp.get("/<int:report_id>.pdf")
def pdf(report_id: int):
    """The report printed: the same figures and texts, through the contract documents' WeasyPrint path."""
    report = _report(report_id)
    html = render_template("reporting/periodic_print.html", **_one(report))
    filename = f"sales-report-{report.owner.username}-{report.kind}-{report.period_start.isoformat()}.pdf"
    return Response(render_pdf(html), mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{filename}"'})


@bp.get("/team")
def team():
    if not current_user.has_role(*TEAM_READERS):
        abort(403)
    try:
        day = dt.date.fromisoformat(request.args.get("day", "")) if request.args.get("day") else None
    except ValueError:
        day = None
    view = team_period(db.session(), current_user.user, request.args.get("kind", "weekly"), day, site_zone(),
                       utcnow())
    return render_template("reporting/periodic_team.html", view=view, kinds=REPORT_KINDS, shown=shown)
