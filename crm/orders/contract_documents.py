"""The contract document: a template filled from the contract in a sandboxed Jinja2 environment; HTML or PDF.

Templates are sanitised on save and the filled document again on render; the PDF renderer fetches only bundled
assets (:mod:`crm.orders.contract_safety`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from jinja2 import StrictUndefined, TemplateError, pass_context
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import escape
from sqlalchemy.orm import Session

from crm import formatting, pdf_fonts
from crm.orders.contract_safety import clean_html, clean_template, url_fetcher
from crm.orders.contracts import Contract, ContractError, ContractTemplate
from crm.orders.document_wording import COMPANIES, CONTRACT_TEMPLATES, document_language
from crm.orders.payments import plans_for_contract
from i18n import LANGUAGES, _, current_locale, force_locale, zones

_PAGE = ("<!doctype html><html lang='{lang}'><head><meta charset='utf-8'><title>{title}</title><style>"
         "body{{margin:2cm}}table{{border-collapse:collapse;width:100%}}"
         "td,th{{border:1px solid #999;padding:4px;text-align:left}}</style></head><body>{body}</body></html>")

@pass_context
def _money(context: Context, value: Any, currency: str | None = None, **options: Any) -> str:
    """``|money`` in a document: the amount in the document's own currency (``currency`` in its values)."""
    return formatting.money(value, currency or context.get("currency"), **options)


_environment = ImmutableSandboxedEnvironment(autoescape=True, undefined=StrictUndefined)
_environment.filters.update(formatting.JINJA_FILTERS, money=_money)


def contract_language(contract: Contract) -> str:
    """The language the contract prints in: its template's, else its quote's, else the site's."""
    if contract.template is not None:
        return document_language(contract.template.language)
    return document_language(contract.quote.language if contract.quote is not None else "")


def context(session: Session, contract: Contract, language: str) -> dict:
    """Plain values a template may use: ``contract``, ``customer``, ``lines``, ``payments``, ``company`` (the
    seller's name in ``language``; ``|money`` writes amounts in the contract's ``currency``)."""
    customer = contract.customer
    return {
        "company": COMPANIES[language], "currency": contract.currency,
        "today": zones.site_today(),
        "contract": {key: getattr(contract, key) for key in (
            "number", "title", "amount", "tax_amount", "tax_percent", "discount_percent", "start_date", "end_date",
            "payment_terms", "status", "company_signed_on", "customer_signed_on")},
        "customer": {key: getattr(customer, key) for key in ("company", "address", "phone", "email", "region")},
        "lines": [{key: getattr(line, key) for key in (
            "position", "description", "quantity", "unit_price", "discount_percent", "amount")}
            for line in contract.lines],
        "payments": [{"label": line.label, "amount": line.amount, "due_date": line.due_date}
                     for plan in plans_for_contract(session, contract.id) for line in plan.lines],
    }


def render_body(body: str, values: dict) -> str:
    """Fill a template body; a mistake in it (unknown placeholder, syntax) is a :class:`ContractError`."""
    try:
        return _environment.from_string(body).render(values)
    except TemplateError as exc:
        raise ContractError(_("The contract template cannot be filled: %(problem)s", problem=exc)) from None


def render_html(session: Session, contract: Contract) -> str:
    """The contract as a complete HTML page in its language (:func:`contract_language`: wording, amounts and
    dates), the filled body sanitised (no script, no external resource)."""
    language = contract_language(contract)
    with force_locale(language):
        body = contract.template.body if contract.template else CONTRACT_TEMPLATES[language]
        filled = render_body(body, context(session, contract, language))
        return page(_("Contract %(number)s", number=contract.number), filled, language)


def page(title: str, body: str, language: str | None = None) -> str:
    """A filled body as a complete HTML page in ``language`` (default the request's): the title escaped, the body
    sanitised (no script, no external resource); quote documents use it too."""
    lang = (language or current_locale() or "zh_CN").replace("_", "-")  # also picks a CJK font's Chinese glyphs
    return _PAGE.format(title=escape(title), body=clean_html(body), lang=lang)


def render_pdf(html: str) -> bytes:
    """The HTML document as PDF (WeasyPrint), reading no file and no URL but the bundled assets; Chinese in a
    CJK font (:mod:`crm.pdf_fonts`)."""
    from weasyprint import HTML  # imported on use: loading it takes a while

    css, font_config = pdf_fonts.stylesheet()
    return HTML(string=html, url_fetcher=url_fetcher()).write_pdf(stylesheets=[css], font_config=font_config)


def check_template(body: str) -> None:
    """Raise :class:`ContractError` unless ``body`` renders with sample values."""
    sample = {
        "company": COMPANIES["en"], "today": zones.site_today(), "currency": formatting.site_currency(),
        "contract": dict.fromkeys(("number", "title", "payment_terms", "status"), "x") | dict.fromkeys(
            ("amount", "tax_amount", "tax_percent", "discount_percent"), Decimal(0)) | dict.fromkeys(
            ("start_date", "end_date", "company_signed_on", "customer_signed_on")),
        "customer": dict.fromkeys(("company", "address", "phone", "email", "region"), "x"),
        "lines": [], "payments": [],
    }
    render_body(body, sample)


def save_template(session: Session, name: str, body: str, template: ContractTemplate | None = None,
                  language: str = "") -> ContractTemplate:
    """Create or change a template written in ``language`` (empty: the site's): sanitised to the layout
    allow-list, and it must render with sample values."""
    if not name.strip():
        raise ContractError(_("A template needs a name."))
    if language and language not in LANGUAGES:
        raise ContractError(_("Choose the language the template is written in."))
    body = clean_template(body)
    check_template(body)
    template = template or ContractTemplate()
    template.name, template.body, template.language = name.strip(), body, language
    session.add(template)
    session.flush()
    return template
