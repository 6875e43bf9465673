"""The opportunity pipeline board (drag to advance), new/edit opportunity, and the opportunity page with its
stage history, close (won/lost with a reason) and, once won, the way to its quote."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from crm import field_checks
from crm.orders.catalog import products
from crm.sales.labels import note_label, status_label
from crm.sales.opportunities import (
    STAGES,
    Opportunity,
    StaleEdit,
    check_version,
    close_opportunity,
    move_to_stage,
    pipeline,
    visible,
)
from i18n import _, _l
from services.sales import opportunity_form
from services.sales.queries import opportunity_by_id, quotes_of_opportunity, tender_of
from web import db
from web.accounts.auth import require_role
from web.customers.pages import scope
from web.input import visible_customers

bp = Blueprint("opportunities", __name__, url_prefix="/opportunities")
EDITORS = ("salesperson", "customer_director", "sales_director", "administrator")
"""May create, edit and close opportunities (others with the pipeline only look)."""
UPDATE_FIELDS = {"probability": _l("Win probability"), "amount": _l("Amount"), "expected_close": _l("Expected close"),
                 "stage": _l("Stage"), "status_analysis": _l("Status analysis")}
"""The opportunity page's update form: field -> label, to name the field of a refused value."""


@bp.app_template_filter("stage_note_label")
def stage_note_label(note: str) -> str:
    """A stage-history note in the reader's language (the code's own notes; people's as written)."""
    return note_label(note)


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
    opp = _visible_opportunity(opp_id)
    session = db.session()
    return render_template("sales/opportunity.html", opp=opp, stages=STAGES, tender=tender_of(session, opp.id),
                           quotes=quotes_of_opportunity(session, opp.id), may_edit=current_user.has_role(*EDITORS),
                           sources=opportunity_form.SOURCES)


def _form_page(checked: opportunity_form.OpportunityForm, opp: Opportunity | None, status: int = 200):
    return render_template("sales/opportunity_form.html", form=checked, opp=opp, stages=STAGES,
                           sources=opportunity_form.SOURCES, products=products(db.session()),
                           customers=visible_customers() if opp is None else []), status


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """The new opportunity page (``?customer_id=`` pre-fills the customer)."""
    require_role(*EDITORS)
    if request.method == "GET":
        return _form_page(opportunity_form.blank(request.args.get("customer_id", type=int)), None)
    session = db.session()
    checked = opportunity_form.read(session, request.form, request.form.getlist("product_ids"), scope(), new=True)
    if checked.errors:
        return _form_page(checked, None, 422)
    opp = opportunity_form.create(session, checked, current_user.user)
    db.commit()
    flash(_("Opportunity %(name)s created.", name=opp.name), "success")
    return redirect(url_for("opportunities.show", opp_id=opp.id))


@bp.route("/<int:opp_id>/edit", methods=["GET", "POST"])
@login_required
def edit(opp_id: int):
    """Change an open opportunity; a form filled in before someone else saved is refused (reload)."""
    require_role(*EDITORS)
    opp = _visible_opportunity(opp_id)
    if request.method == "GET":
        return _form_page(opportunity_form.of(opp), opp)
    session = db.session()
    checked = opportunity_form.read(session, request.form, request.form.getlist("product_ids"), scope(), new=False)
    if not checked.errors:
        try:
            opportunity_form.save(session, opp, checked, current_user.user)
        except StaleEdit as exc:
            checked.errors.add("version", str(exc))
        except ValueError as exc:
            checked.errors.add("stage", str(exc))
    if checked.errors:
        session.rollback()
        return _form_page(checked, _visible_opportunity(opp_id), 409 if "version" in checked.errors else 422)
    db.commit()
    flash(_("Opportunity saved."), "success")
    return redirect(url_for("opportunities.show", opp_id=opp.id))


@bp.post("/<int:opp_id>/stage")
@login_required
def move(opp_id: int):
    """JSON: ``{"stage": n}`` moves the opportunity (the board's drag and drop)."""
    require_role(*EDITORS)
    opp = _visible_opportunity(opp_id)
    body = request.get_json(silent=True) or {}
    try:
        stage = int(body.get("stage", 0))
    except (TypeError, ValueError):
        return jsonify({"error": _("Choose a stage."), "status": 400}), 400
    try:
        move_to_stage(db.session(), opp, stage, current_user.username, analysis=str(body.get("analysis", "")))
    except ValueError as exc:
        db.session().rollback()
        return jsonify({"error": str(exc), "status": 400}), 400
    db.commit()
    return jsonify({"id": opp.id, "stage": opp.stage, "probability": opp.probability,
                    "weighted_amount": str(opp.weighted_amount), "columns": _column_totals()})


@bp.post("/<int:opp_id>")
@login_required
def update(opp_id: int):
    """The opportunity page's form: stage, probability override, amount, close date, status analysis."""
    require_role(*EDITORS)
    opp = _visible_opportunity(opp_id)
    form, errors = request.form, field_checks.FieldErrors()
    probability = field_checks.percent(form, "probability", errors)
    amount = field_checks.money(form, "amount", errors, required=False)
    close = field_checks.date(form, "expected_close", errors)
    stage = field_checks.whole(form, "stage", errors, maximum=len(STAGES)) or opp.stage
    analysis = field_checks.text(form, "status_analysis", errors, max_length=2000)
    try:
        if errors:
            raise ValueError("; ".join(f"{UPDATE_FIELDS.get(name, name)}: {message}"
                                       for name, message in errors.items()))
        check_version(opp, form.get("version", type=int))
        move_to_stage(db.session(), opp, stage, current_user.username,
                      probability=int(probability) if probability is not None else None, amount=amount,
                      expected_close=close, analysis=analysis)
    except ValueError as exc:
        db.session().rollback()
        flash(_("Not saved: %(reason)s", reason=str(exc)[:300]), "danger")
    else:
        db.commit()
        flash(_("Opportunity updated."), "success")
    return redirect(url_for("opportunities.show", opp_id=opp_id))


@bp.post("/<int:opp_id>/close")
@login_required
def close(opp_id: int):
    """Won or lost, with a reason (required when lost; at most 200 characters)."""
    require_role(*EDITORS)
    opp = _visible_opportunity(opp_id)
    won = request.form.get("result") == "won"
    reason = request.form.get("reason", request.form.get("lost_reason", "")).strip()
    if (not won and not reason) or len(reason) > 200:
        flash(_("Say why the opportunity was lost (at most 200 characters).") if len(reason) <= 200
              else _("The reason takes at most 200 characters."), "danger")
        return redirect(url_for("opportunities.show", opp_id=opp_id))
    try:
        check_version(opp, request.form.get("version", type=int))
        close_opportunity(db.session(), opp, won, current_user.username, reason=reason)
    except ValueError as exc:
        db.session().rollback()
        flash(str(exc), "danger")
    else:
        db.commit()
        flash(_("Opportunity marked won. Create its quote below.") if won
              else _("Opportunity marked %(status)s.", status=status_label(opp.status)), "success")
    return redirect(url_for("opportunities.show", opp_id=opp_id))
