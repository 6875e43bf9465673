"""The opportunity pipeline board (drag to advance) and the opportunity page with its stage history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from crm.sales.opportunities import STAGES, Opportunity, close_opportunity, move_to_stage, pipeline, visible
from services.sales.queries import opportunity_by_id
from web import db
from web.customers.pages import scope

bp = Blueprint("opportunities", __name__, url_prefix="/opportunities")


def _visible_opportunity(opp_id: int) -> Opportunity:
    opp = opportunity_by_id(db.session(), opp_id)
    if opp is None or not visible(opp, scope()):
        abort(404)
    return opp


def _column_totals() -> list[dict]:
    return [{"stage": c.stage.number, "count": len(c.items), "total": str(c.total), "weighted": str(c.weighted)}
            for c in pipeline(db.session(), scope())]


@bp.get("/")
@login_required
def board():
    columns = pipeline(db.session(), scope())
    return render_template("sales/pipeline.html", columns=columns,
                           total=sum(c.total for c in columns), weighted=sum(c.weighted for c in columns))


@bp.get("/<int:opp_id>")
@login_required
def show(opp_id: int):
    return render_template("sales/opportunity.html", opp=_visible_opportunity(opp_id), stages=STAGES)


@bp.post("/<int:opp_id>/stage")
@login_required
def move(opp_id: int):
    """JSON: ``{"stage": n}`` moves the opportunity (the board's drag and drop)."""
    opp = _visible_opportunity(opp_id)
    body = request.get_json(silent=True) or {}
    try:
        move_to_stage(db.session(), opp, int(body.get("stage", 0)), current_user.username,
                      analysis=str(body.get("analysis", "")))
    except (TypeError, ValueError) as exc:
        db.session().rollback()
        return jsonify({"error": str(exc), "status": 400}), 400
    db.commit()
    return jsonify({"id": opp.id, "stage": opp.stage, "probability": opp.probability,
                    "weighted_amount": str(opp.weighted_amount), "columns": _column_totals()})


@bp.post("/<int:opp_id>")
@login_required
def update(opp_id: int):
    """The opportunity page's form: stage, probability override, amount, close date, status analysis."""
    opp = _visible_opportunity(opp_id)
    form = request.form
    try:
        probability = int(form["probability"]) if form.get("probability", "").strip() else None
        amount = Decimal(form["amount"]) if form.get("amount", "").strip() else None
        close = dt.date.fromisoformat(form["expected_close"]) if form.get("expected_close") else None
        move_to_stage(db.session(), opp, int(form.get("stage", opp.stage)), current_user.username,
                      probability=probability, amount=amount, expected_close=close,
                      analysis=form.get("status_analysis", "").strip())
    except (ValueError, InvalidOperation) as exc:
        db.session().rollback()
        flash(f"Not saved: {exc}", "danger")
    else:
        db.commit()
        flash("Opportunity updated.", "success")
    return redirect(url_for("opportunities.show", opp_id=opp_id))


@bp.post("/<int:opp_id>/close")
@login_required
def close(opp_id: int):
    opp = _visible_opportunity(opp_id)
    won = request.form.get("result") == "won"
    reason = request.form.get("lost_reason", "").strip()
    if not won and not reason:
        flash("Say why the opportunity was lost.", "danger")
        return redirect(url_for("opportunities.show", opp_id=opp_id))
    try:
        close_opportunity(db.session(), opp, won, current_user.username, reason=reason)
    except ValueError as exc:
        db.session().rollback()
        flash(str(exc), "danger")
    else:
        db.commit()
        flash(f"Opportunity marked {opp.status}.", "success")
    return redirect(url_for("opportunities.show", opp_id=opp_id))
