"""Merging two customers (administrators and information officers): choose the duplicate, see what moves, confirm."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from i18n import _
from services.customers import queries
from services.customers.merge import merge_customers, repoint_running_instances
from web import db
from web.accounts.auth import actor, require_role
from web.idempotency import idempotent

bp = Blueprint("customer_merge", __name__, url_prefix="/customers")
MERGERS = ("administrator", "information_officer")


@bp.route("/<int:customer_id>/merge", methods=["GET", "POST"])
@login_required
@idempotent
def merge(customer_id: int):
    require_role(*MERGERS)
    session = db.session()
    survivor = queries.customer_by_id(session, customer_id) or abort(404)
    duplicate = queries.customer_by_id(session, request.values.get("duplicate_id", type=int))
    if request.method == "POST" and duplicate is not None and request.form.get("confirm"):
        try:
            moved = merge_customers(session, survivor, duplicate, current_user.username)
            repoint_running_instances(session, db.platform().engine, survivor, duplicate, actor())
        except ValueError as exc:
            flash(str(exc), "danger")
            return redirect(url_for("customer_merge.merge", customer_id=customer_id))
        db.commit()
        flash(_("%(duplicate)s merged into %(survivor)s: %(n)s records moved.", duplicate=duplicate.company,
                survivor=survivor.company, n=sum(moved.values())), "success")
        return redirect(url_for("customers.show", customer_id=customer_id))
    return render_template("customers/merge.html", survivor=survivor, duplicate=duplicate,
                           counts=queries.record_counts(session, duplicate.id) if duplicate else {})
