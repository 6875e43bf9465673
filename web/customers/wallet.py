"""Share of wallet on the customer page: record a year's estimate of the customer's purchases of the category."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user, login_required

from crm.customers.queries import visible_customer
from crm.customers.wallet import WalletEstimate, record_estimate
from i18n import _
from web import db
from web.accounts.auth import require_role
from web.idempotency import idempotent
from web.input import decimal_field, int_field, owner_ids, refusals

bp = Blueprint("customer_wallet", __name__, url_prefix="/customers")
ESTIMATORS = ("salesperson", "information_officer", "customer_director", "sales_director")
"""May enter a customer's estimated purchases (within their data scope)."""


@bp.post("/<int:customer_id>/wallet")
@login_required
@idempotent
def estimate(customer_id: int):
    """Record (or replace) one year's estimate, with its source."""
    require_role(*ESTIMATORS)
    customer = visible_customer(db.session(), owner_ids(), customer_id) or abort(404)
    with refusals():
        record_estimate(db.session(), customer, int_field("year", WalletEstimate.year) or 0,
                        decimal_field("amount", WalletEstimate.amount), request.form.get("source", ""),
                        current_user.username)
        db.commit()
        flash(_("Estimate saved."), "success")
    return redirect(url_for("customers.show", customer_id=customer_id))
