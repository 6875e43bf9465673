"""The new quote form: checked fields, the customer and (optionally) the opportunity it answers.

A quote made for a won opportunity starts with its lines: the opportunity's products at catalogue price, or,
when it names none (a tender), one line for the whole at the opportunity's amount (the approved bid price).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy.orm import Session

from crm import field_checks as check
from crm import formatting
from crm.accounts.users import User
from crm.customers.models import Customer
from crm.money import ZERO
from crm.orders import quotes
from crm.orders.catalog import Product
from crm.orders.document_wording import document_language
from crm.sales.opportunities import Opportunity
from i18n import LANGUAGES, _
from services.service.policies import grade_terms

VALID_DAYS = 30
"""A new quote's default validity."""


@dataclass
class QuoteForm:
    raw: dict[str, str]
    errors: check.FieldErrors = field(default_factory=check.FieldErrors)
    values: dict[str, object] = field(default_factory=dict)


def _visible(owner_id: int | None, scope: set[int] | None) -> bool:
    return scope is None or owner_id in scope


def blank(session: Session, scope: set[int] | None, customer_id: int | None, opportunity_id: int | None,
          today: dt.date) -> QuoteForm:
    """The form pre-filled with the customer and, for an opportunity of that customer, its title."""
    opp = session.get(Opportunity, opportunity_id) if opportunity_id else None
    if opp is not None and not _visible(opp.owner_id, scope):
        opp = None
    customer_id = opp.customer_id if opp is not None else customer_id
    return QuoteForm({"customer_id": str(customer_id or ""), "opportunity_id": str(opp.id if opp else ""),
                      "title": opp.name if opp else "", "valid_until": (today + dt.timedelta(days=VALID_DAYS))
                      .isoformat(), "discount_percent": "", "tax_percent": "13", "notes": "",
                      "currency": formatting.site_currency(), "language": document_language("")})


def read(session: Session, form: Mapping[str, str], scope: set[int] | None) -> QuoteForm:
    """Check every field of the new quote form."""
    result = QuoteForm({k: form.get(k, "") for k in ("customer_id", "opportunity_id", "title", "valid_until",
                                                       "discount_percent", "tax_percent", "notes", "currency",
                                                       "language")})
    errors, values = result.errors, result.values
    values["language"] = _language(form, errors)
    values["currency"] = formatting.currency_code(form.get("currency", "") or formatting.site_currency())
    if values["currency"] is None:
        errors.add("currency", _("Choose a currency (an ISO 4217 code such as CNY or USD)."))
    customer_id = check.whole(form, "customer_id", errors)
    customer = session.get(Customer, customer_id) if customer_id else None
    if customer is None or not _visible(customer.owner_id, scope):
        errors.add("customer_id", _("Choose one of your customers."))
    opportunity_id = check.whole(form, "opportunity_id", errors)
    opp = session.get(Opportunity, opportunity_id) if opportunity_id else None
    if opportunity_id and (opp is None or not _visible(opp.owner_id, scope)
                           or (customer is not None and opp.customer_id != customer.id)):
        errors.add("opportunity_id", _("Choose an opportunity of this customer."))
    values.update(customer=customer, opportunity=opp)
    values["title"] = check.text(form, "title", errors, max_length=200, required=True, label=_("title"))
    values["valid_until"] = check.date(form, "valid_until", errors, required=True)
    values["discount_percent"] = check.percent(form, "discount_percent", errors, decimals=2)
    values["tax_percent"] = check.percent(form, "tax_percent", errors, decimals=2) or ZERO
    values["notes"] = check.text(form, "notes", errors, max_length=4000)
    return result


def create(session: Session, checked: QuoteForm, user: User) -> quotes.Quote:
    """The draft quote; for an opportunity, with its lines (see the module docstring).

    The customer's grade gives the days to pay and, when none is typed, the discount (the grade terms table);
    the quote records that table's version when its discount is the table's. Without a deployed table a quote
    has no discount unless one is typed, and no days to pay."""
    v = checked.values
    terms = grade_terms(session, v["customer"].grade)
    table_discount = terms.discount_percent if terms else ZERO
    discount = table_discount if v["discount_percent"] is None else v["discount_percent"]
    quote = quotes.create_quote(
        session, v["customer"], user, v["title"], v["valid_until"], discount_percent=discount,
        tax_percent=v["tax_percent"], notes=v["notes"], currency=v["currency"], language=v["language"],
        payment_days=terms.payment_days if terms else None,
        discount_version=terms.version if terms and discount == terms.discount_percent else None)
    opp: Opportunity | None = v["opportunity"]
    if opp is not None:
        quote.opportunity_id = opp.id
        if opp.products:
            for product in opp.products:
                quotes.add_line(session, quote, Decimal(1), product=product)
        elif opp.amount > 0:
            quotes.add_line(session, quote, Decimal(1), description=opp.name[:300], unit_price=opp.amount)
    session.flush()
    return quote


def _language(form: Mapping[str, str], errors: check.FieldErrors) -> str:
    """The document language chosen (empty: the site's)."""
    return check.choice(form, "language", errors, LANGUAGES, required=False)


def _money_text(value: Decimal) -> str:
    return f"{value:f}"


def terms_of(quote: quotes.Quote) -> QuoteForm:
    """The terms form filled from a quote."""
    return QuoteForm({"version": str(quote.version), "title": quote.title, "valid_until": quote.valid_until.isoformat(),
                      "discount_percent": _money_text(quote.discount_percent),
                      "tax_percent": _money_text(quote.tax_percent), "notes": quote.notes,
                      "language": document_language(quote.language)})


def read_terms(form: Mapping[str, str]) -> QuoteForm:
    """Check the terms of a draft quote: title, validity date, overall discount, tax, notes."""
    result = QuoteForm({k: form.get(k, "") for k in ("version", "title", "valid_until", "discount_percent",
                                                       "tax_percent", "notes", "language")})
    errors, values = result.errors, result.values
    values["version"] = check.whole(form, "version", errors)
    values["title"] = check.text(form, "title", errors, max_length=200, required=True, label=_("title"))
    values["valid_until"] = check.date(form, "valid_until", errors, required=True)
    values["discount_percent"] = check.percent(form, "discount_percent", errors, decimals=2) or ZERO
    values["tax_percent"] = check.percent(form, "tax_percent", errors, decimals=2) or ZERO
    values["notes"] = check.text(form, "notes", errors, max_length=4000)
    values["language"] = _language(form, errors) or None
    return result


def line_of(line: quotes.QuoteLine) -> QuoteForm:
    """The line form filled from a quote line."""
    return QuoteForm({"version": str(line.quote.version), "product_id": str(line.product_id or ""),
                      "description": line.description,
                      "quantity": _money_text(line.quantity.normalize()), "unit_price": _money_text(line.unit_price),
                      "discount_percent": _money_text(line.discount_percent)})


def read_line(session: Session, form: Mapping[str, str]) -> QuoteForm:
    """Check a quote line: an optional catalogue product, a description (the product's name when empty), a
    positive quantity, a unit price (the product's when empty) and a line discount."""
    result = QuoteForm({k: form.get(k, "") for k in ("version", "product_id", "description", "quantity",
                                                       "unit_price", "discount_percent")})
    errors, values = result.errors, result.values
    values["version"] = check.whole(form, "version", errors)
    product_id = check.whole(form, "product_id", errors)
    product = session.get(Product, product_id) if product_id else None
    if product_id and product is None:
        errors.add("product_id", _("Choose a product of the catalogue."))
    description = check.text(form, "description", errors, max_length=300)
    if not description and product is None and "product_id" not in errors:
        errors.add("description", _("Enter a description (or choose a product)."))
    values["product"], values["description"] = product, description or (product.name if product else "")
    values["quantity"] = check.quantity(form, "quantity", errors)
    price = check.money(form, "unit_price", errors, required=product is None)
    values["unit_price"] = price if price is not None else (product.unit_price if product else None)
    values["discount_percent"] = check.percent(form, "discount_percent", errors, decimals=2) or ZERO
    return result
