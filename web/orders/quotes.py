"""Quote pages: list, create, edit a draft (terms, lines), revise a sent one, the document (HTML/PDF), move the
status on, turn an accepted quote into a contract."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from crm import formatting
from crm.accounts.access import COST_ROLES, sees_costs
from crm.money import ZERO
from crm.orders import contract_documents, contracts, margins, quote_documents, quotes
from crm.orders.catalog import products
from crm.orders.document_wording import document_language, language_choices
from crm.scoped_lists import newest_in_scope
from i18n import LANGUAGES, _, zones
from services.customers.queries import customers_in_scope
from services.orders import queries, quote_form
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
    visible_customers,
)
from web.orders.contracts import DOCUMENT_POLICY
from web.paging import paginate

bp = Blueprint("quotes", __name__, url_prefix="/quotes")


@bp.before_request
@login_required
def sales_only():
    require_role(*SALES_ROLES)


def _quote(quote_id: int) -> quotes.Quote:
    quote = queries.quote_by_id(db.session(), quote_id) or abort(404)
    require_visible(quote.owner_id)
    return quote


@bp.get("/")
def index():
    status, scope = request.args.get("status", ""), owner_ids()
    listed = paginate(newest_in_scope(db.session(), quotes.Quote, scope, status))
    return render_template("orders/quotes.html", quotes=listed.items, paged=listed, status=status,
                           statuses=quotes.QUOTE_STATUSES,
                           customers=customers_in_scope(db.session(), scope), today=zones.site_today(),
                           valid_until=zones.site_today() + dt.timedelta(days=30))


def _new_page(form: quote_form.QuoteForm, status: int = 200):
    return render_template("orders/quote_new.html", form=form, customers=visible_customers(),
                           currencies=formatting.currency_choices(), languages=language_choices()), status


@bp.get("/new")
def new():
    """The new quote page; ``?customer_id=`` and ``?opportunity_id=`` pre-fill it."""
    form = quote_form.blank(db.session(), owner_ids(), request.args.get("customer_id", type=int),
                            request.args.get("opportunity_id", type=int), zones.site_today())
    return _new_page(form)


@bp.post("/")
def create():
    session = db.session()
    checked = quote_form.read(session, request.form, owner_ids())
    if checked.errors:
        return _new_page(checked, 422)
    quote = quote_form.create(session, checked, current_user.user)
    db.commit()
    flash(_("Quote %(number)s created.", number=quote.number), "success")
    return redirect(url_for(".show", quote_id=quote.id))


@bp.get("/<int:quote_id>")
def show(quote_id: int):
    quote = _quote(quote_id)
    contract = queries.contract_of_quote(db.session(), quote.id)
    templates = queries.contract_templates(db.session(), active_only=True)
    earlier = queries.quote_by_id(db.session(), quote.revision_of_id) if quote.revision_of_id else None
    costs = sees_costs(current_user.user)
    return render_template("orders/quote.html", quote=quote, totals=quotes.quote_totals(quote), contract=contract,
                           earlier=earlier, later=queries.revision_of_quote(db.session(), quote.id),
                           products=products(db.session()), templates=templates, today=zones.site_today(),
                           costs=costs, margin=margins.quote_margin(quote) if costs else None,
                           language=LANGUAGES[document_language(quote.language)])


@bp.post("/<int:quote_id>/lines/<int:line_id>/cost")
def set_line_cost(quote_id: int, line_id: int):
    """A line's own unit cost (empty: the product's standard cost); directors only, never shown to the customer."""
    require_role(*COST_ROLES)
    quote = _quote(quote_id)
    with refusals():
        raw = request.form.get("unit_cost", "").strip()
        cost = decimal_field("unit_cost", quotes.QuoteLine.unit_cost) if raw else None
        margins.set_line_cost(db.session(), quote, line_id, cost)
        db.commit()
        flash(_("Cost saved."), "success")
    return redirect(url_for(".show", quote_id=quote_id))


@bp.post("/<int:quote_id>/lines")
def add_line(quote_id: int):
    quote = _quote(quote_id)
    with refusals():
        product = queries.product_by_id(db.session(), int_field("product_id"))
        price = request.form.get("unit_price", "").strip()
        quotes.add_line(db.session(), quote, decimal_field("quantity", quotes.QuoteLine.quantity), product=product,
                        description=request.form.get("description", "").strip(),
                        unit_price=decimal_field("unit_price", quotes.QuoteLine.unit_price) if price else None,
                        discount_percent=decimal_field("discount_percent", quotes.QuoteLine.discount_percent, ZERO),
                        by=current_user.username)
        db.commit()
        flash(_("Line added."), "success")
    return redirect(url_for(".show", quote_id=quote_id))


@bp.post("/<int:quote_id>/lines/<int:line_id>")
def change_line(quote_id: int, line_id: int):
    """Delete a draft quote's line (``action=delete``) or move it up/down (``action=up|down``)."""
    quote = _quote(quote_id)
    action = request.form.get("action", "")
    with refusals():
        if action == "delete":
            quotes.remove_line(db.session(), quote, line_id, current_user.username)
        else:
            quotes.move_line(db.session(), quote, line_id, {"up": -1, "down": 1}.get(action, 0),
                             current_user.username)
        db.commit()
    return redirect(url_for(".show", quote_id=quote_id))


def _refused_unless_draft(quote: quotes.Quote):
    """A redirect to the quote with a message when it is no longer a draft, else None."""
    if quote.status == "draft":
        return None
    flash(_("Quote %(number)s is %(status)s: only drafts can be changed.", number=quote.number,
            status=quote.status), "danger")
    return redirect(url_for(".show", quote_id=quote.id))


def _terms_page(quote: quotes.Quote, form: quote_form.QuoteForm, status: int = 200):
    return render_template("orders/quote_terms.html", quote=quote, form=form, languages=language_choices()), status


@bp.get("/<int:quote_id>/edit")
def edit(quote_id: int):
    """The terms of a draft quote: title, validity date, overall discount, tax, notes."""
    quote = _quote(quote_id)
    return _refused_unless_draft(quote) or _terms_page(quote, quote_form.terms_of(quote))


@bp.post("/<int:quote_id>/edit")
def save(quote_id: int):
    quote = _quote(quote_id)
    if refused := _refused_unless_draft(quote):
        return refused
    checked = quote_form.read_terms(request.form)
    if checked.errors:
        return _terms_page(quote, checked, 422)
    try:
        quotes.edit_terms(quote, current_user.username, **checked.values)
    except quotes.StaleQuote as exc:
        checked.errors.add("version", str(exc))
        return _terms_page(quote, checked, 409)
    db.commit()
    flash(_("Quote %(number)s saved.", number=quote.number), "success")
    return redirect(url_for(".show", quote_id=quote_id))


def _line(quote: quotes.Quote, line_id: int) -> quotes.QuoteLine:
    return next((line for line in quote.lines if line.id == line_id), None) or abort(404)


def _line_page(quote: quotes.Quote, line: quotes.QuoteLine, form: quote_form.QuoteForm, status: int = 200):
    return render_template("orders/quote_line.html", quote=quote, line=line, form=form,
                           products=products(db.session())), status


@bp.get("/<int:quote_id>/lines/<int:line_id>/edit")
def edit_line(quote_id: int, line_id: int):
    """One line of a draft quote, to change in place."""
    quote = _quote(quote_id)
    line = _line(quote, line_id)
    return _refused_unless_draft(quote) or _line_page(quote, line, quote_form.line_of(line))


@bp.post("/<int:quote_id>/lines/<int:line_id>/edit")
def save_line(quote_id: int, line_id: int):
    quote = _quote(quote_id)
    line = _line(quote, line_id)
    if refused := _refused_unless_draft(quote):
        return refused
    checked = quote_form.read_line(db.session(), request.form)
    if checked.errors:
        return _line_page(quote, line, checked, 422)
    try:
        quotes.edit_line(db.session(), quote, line_id, current_user.username, **checked.values)
    except quotes.StaleQuote as exc:
        checked.errors.add("version", str(exc))
        return _line_page(quote, line, checked, 409)
    db.commit()
    flash(_("Line %(n)s saved.", n=line.position), "success")
    return redirect(url_for(".show", quote_id=quote_id))


@bp.post("/<int:quote_id>/status")
def set_status(quote_id: int):
    quote = _quote(quote_id)
    with refusals():
        quotes.set_status(quote, request.form.get("status", ""), zones.site_today())
        db.commit()
        flash(_("Quote %(number)s is %(status)s.", number=quote.number, status=quote.status), "success")
    return redirect(url_for(".show", quote_id=quote_id))


@bp.post("/<int:quote_id>/revise")
def revise(quote_id: int):
    """A sent quote's next revision, as a draft to change; the sent one is superseded."""
    quote = _quote(quote_id)
    with refusals():
        revision = quotes.revise(db.session(), quote, current_user.username)
        db.commit()
        flash(_("Revision %(revision)s drafted; %(number)s is superseded.", revision=revision.number,
                number=quote.number), "success")
        return redirect(url_for(".show", quote_id=revision.id))
    return redirect(url_for(".show", quote_id=quote_id))


@bp.get("/<int:quote_id>/document")
def document(quote_id: int):
    """The quote as the customer receives it (the contract document's engine and page policy)."""
    return Response(quote_documents.render_html(_quote(quote_id)), mimetype="text/html",
                    headers={"Content-Security-Policy": DOCUMENT_POLICY})


@bp.get("/<int:quote_id>/document.pdf")
def document_pdf(quote_id: int):
    quote = _quote(quote_id)
    return Response(contract_documents.render_pdf(quote_documents.render_html(quote)), mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{quote.number}.pdf"'})


@bp.post("/<int:quote_id>/contract")
def make_contract(quote_id: int):
    """The accepted quote becomes a draft contract: nothing is typed again."""
    quote = _quote(quote_id)
    with refusals():
        template = queries.contract_template_by_id(db.session(), int_field("template_id"))
        contract = contracts.from_quote(
            db.session(), quote, template=template, payment_terms=request.form.get("payment_terms", ""),
            start_date=date_field("start_date", required=False), end_date=date_field("end_date", required=False),
        )
        db.commit()
        flash(_("Contract %(contract)s drafted from quote %(number)s.", contract=contract.number,
                number=quote.number), "success")
        return redirect(url_for("contracts.show", contract_id=contract.id))
    return redirect(url_for(".show", quote_id=quote_id))
