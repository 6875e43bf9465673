"""Product costs: the standard cost of each catalogue entry, set and seen by directors and finance only (gross
margin of quotes, contracts and the KPIs)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required

from crm.accounts.access import COST_ROLES
from crm.orders import margins
from crm.orders.catalog import Product, products
from i18n import _
from services.orders import queries
from web import db
from web.accounts.auth import require_role
from web.input import decimal_field, refusals

bp = Blueprint("product_costs", __name__, url_prefix="/products")


@bp.before_request
@login_required
def cost_roles_only() -> None:
    require_role(*COST_ROLES)


@bp.get("/costs")
def index():
    return render_template("orders/product_costs.html", products=products(db.session()))


@bp.post("/<int:product_id>/cost")
def save(product_id: int):
    """Set a product's standard cost per unit (empty: none recorded)."""
    product = queries.product_by_id(db.session(), product_id) or abort(404)
    with refusals():
        raw = request.form.get("standard_cost", "").strip()
        margins.set_standard_cost(db.session(), product,
                                  decimal_field("standard_cost", Product.standard_cost) if raw else None)
        db.commit()
        flash(_("Standard cost of %(code)s saved.", code=product.code), "success")
    return redirect(url_for(".index"))
