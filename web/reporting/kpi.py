"""The KPI page (each KPI's monthly actual against target and baseline, year to date, per salesperson and team,
within the viewer's data scope and the filters) and the targets page of administrators and directors."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from crm.accounts.access import sees_costs
from crm.reporting.targets import KpiTarget, set_target
from i18n import _
from services.reporting.filter_choices import filter_choices
from services.reporting.filters import site_today
from services.reporting.kpi_board import kpi_board, kpi_page, shown_measures, target_scope
from web import db
from web.accounts.auth import require_role
from web.input import decimal_field, owner_ids, refusals
from web.reporting.figures import kpi_formatter
from web.reporting.filtering import filter_page_context, request_filter, site_zone

bp = Blueprint("kpi", __name__, url_prefix="/kpi")
TARGET_SETTERS = ("administrator", "customer_director", "sales_director", "marketing_director")
"""May set the KPI baselines and targets."""


@bp.before_request
@login_required
def signed_in() -> None:
    """Every signed-in user; the figures are narrowed to their data scope."""


def _filter_and_year():
    report_filter = request_filter(default_period="year")
    year = int(report_filter.anchor) if report_filter.period == "year" else report_filter.last.year
    return report_filter, year


def _board(scope: set[int] | None):
    report_filter, year = _filter_and_year()
    today, costs = site_today(site_zone()), sees_costs(current_user.user)
    page = kpi_page(db.session(), scope, report_filter, year, today, costs=costs)
    return report_filter, year, page.board, page.rows


@bp.get("/")
def index():
    scope = owner_ids()
    report_filter, year, board, rows = _board(scope)
    return render_template("reporting/kpi.html", year=year, board=board, rows=rows,
                           reports=[k.report.as_dict() for k in board],
                           can_set_targets=current_user.has_role(*TARGET_SETTERS), kpi_value=kpi_formatter(),
                           **filter_page_context(report_filter, scope))


@bp.get("/data.json")
def data():
    report_filter, year, board, rows = _board(owner_ids())

    def figures(k) -> dict:
        return {"key": k.measure.key, "title": str(k.measure.title), "unit": k.measure.unit,
                "months": k.report.as_dict(),
                "month_states": k.month_states, "ytd": {"months": k.ytd_months, "actual": k.ytd_actual,
                                                        "target": k.ytd_target, "baseline": k.ytd_baseline},
                "baseline": k.baseline, "target": k.target, "source": k.source, "state": k.state}

    return jsonify(year=year, filters=report_filter.query_args(), kpis=[figures(k) for k in board],
                   by_scope=[{"kind": r.kind, "id": r.id, "name": r.name, "kpis": [figures(k) for k in r.figures]}
                             for r in rows])


def _target_form_context():
    report_filter, year = _filter_and_year()
    kind, scope_id = target_scope(report_filter)
    today, scope = site_today(site_zone()), owner_ids()
    board = kpi_board(db.session(), scope, report_filter, year, today, costs=sees_costs(current_user.user))
    return {"year": year, "scope_kind": kind, "scope_id": scope_id, "board": board,
            "choices": filter_choices(db.session(), scope), "report_filter": report_filter,
            "kpi_value": kpi_formatter()}


@bp.get("/targets")
def targets():
    """The baseline and target of each KPI for a year and the company, a team or a salesperson."""
    require_role(*TARGET_SETTERS)
    return render_template("reporting/kpi_targets.html", **_target_form_context())


@bp.post("/targets")
def save_targets():
    require_role(*TARGET_SETTERS)
    context = _target_form_context()
    choices = context["choices"]
    allowed = {"company": {0}, "salesperson": {i for i, name in choices.salespeople},
               "team": {i for i, name in choices.teams}}
    if context["scope_id"] not in allowed[context["scope_kind"]]:
        abort(404)
    with refusals():
        for measure in shown_measures(sees_costs(current_user.user)):
            figures = [decimal_field(f"{name}_{measure.key}", getattr(KpiTarget, name))
                       if request.form.get(f"{name}_{measure.key}", "").strip() else None
                       for name in ("baseline", "target")]
            set_target(db.session(), context["year"], measure.key, context["scope_kind"], context["scope_id"],
                       *figures, by=current_user.username)
        db.commit()
        flash(_("Targets saved."), "success")
    return redirect(url_for(".targets", **context["report_filter"].query_args()))
