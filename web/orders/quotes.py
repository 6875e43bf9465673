"""Quote pages: list, create, add lines, move the status on, turn an accepted quote into a contract."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from crm.customers.models import Customer
from crm.money import ZERO
from crm.orders import contracts, quotes
from crm.orders.catalog import Product, products
from crm.orders.contracts import ContractTemplate
from crm.scoped_lists import newest_in_scope
from web import db
from web.accounts.auth import require_role
from web.input import (
    SALES_ROLES,
    date_field,
    decimal_field,
    int_field,
    owner_ids,
    refusals,
    require_visible,
    visible,
    visible_customers,
)

bp = Blueprint("quotes", __name__, url_prefix="/quotes")


@bp.before_request
@login_required
def sales_only():
    require_role(*SALES_ROLES)


def _quote(quote_id: int) -> quotes.Quote:
    quote = db.session().get(quotes.Quote, quote_id) or abort(404)
    require_visible(quote.owner_id)
    return quote


@bp.get("/")
def index():
    status = request.args.get("status", "")
    listed = newest_in_scope(db.session(), quotes.Quote, owner_ids(), status)
    return render_template("orders/quotes.html", quotes=listed, status=status, statuses=quotes.QUOTE_STATUSES,
                           customers=visible_customers(), today=dt.date.today(),
                           valid_until=dt.date.today() + dt.timedelta(days=30))


@bp.post("/")
def create():
    with refusals():
        customer = db.session().get(Customer, int_field("customer_id") or 0)
        if customer is None or not visible(customer.owner_id):
            flash("Choose one of your customers.", "danger")
            return redirect(url_for(".index"))
        quote = quotes.create_quote(
            db.session(), customer, current_user.user, request.form.get("title", "").strip() or "Quote",
            date_field("valid_until"), discount_percent=decimal_field("discount_percent", ZERO),
            tax_percent=decimal_field("tax_percent", ZERO), notes=request.form.get("notes", ""),
        )
        db.commit()
        flash(f"Quote {quote.number} created.", "success")
        return redirect(url_for(".show", quote_id=quote.id))
    return redirect(url_for(".index"))


@bp.get("/<int:quote_id>")
def show(quote_id: int):
    quote = _quote(quote_id)
    contract = db.session().scalar(select(contracts.Contract).where(contracts.Contract.quote_id == quote.id))
    templates = db.session().scalars(select(ContractTemplate).where(ContractTemplate.active.is_(True)))
    return render_template("orders/quote.html", quote=quote, totals=quotes.quote_totals(quote), contract=contract,
                           products=products(db.session()), templates=list(templates), today=dt.date.today())


@bp.post("/<int:quote_id>/lines")
def add_line(quote_id: int):
    quote = _quote(quote_id)
    with refusals():
        product = db.session().get(Product, int_field("product_id") or 0)
        price = request.form.get("unit_price", "").strip()
        quotes.add_line(db.session(), quote, decimal_field("quantity"), product=product,
                        description=request.form.get("description", "").strip(),
                        unit_price=decimal_field("unit_price") if price else None,
                        discount_percent=decimal_field("discount_percent", ZERO))
        db.commit()
        flash("Line added.", "success")
    return redirect(url_for(".show", quote_id=quote_id))


@bp.post("/<int:quote_id>/status")
def set_status(quote_id: int):
    quote = _quote(quote_id)
    with refusals():
        quotes.set_status(quote, request.form.get("status", ""), dt.date.today())
        db.commit()
        flash(f"Quote {quote.number} is {quote.status}.", "success")
    return redirect(url_for(".show", quote_id=quote_id))


@bp.post("/<int:quote_id>/contract")
def make_contract(quote_id: int):
    """The accepted quote becomes a draft contract: nothing is typed again."""
    quote = _quote(quote_id)
    with refusals():
        template = db.session().get(ContractTemplate, int_field("template_id") or 0)
        contract = contracts.from_quote(
            db.session(), quote, template=template, payment_terms=request.form.get("payment_terms", ""),
            start_date=date_field("start_date", required=False), end_date=date_field("end_date", required=False),
        )
        db.commit()
        flash(f"Contract {contract.number} drafted from quote {quote.number}.", "success")
        return redirect(url_for("contracts.show", contract_id=contract.id))
    return redirect(url_for(".show", quote_id=quote_id))
