"""The quote document: the built-in quote template of its language (:mod:`crm.orders.document_wording`) filled in
the contract documents' sandboxed engine; HTML or PDF.

Nothing is copied from :mod:`crm.orders.contract_documents`: the same environment (money, number and date
filters of :mod:`crm.formatting`), the same sanitising page and the same PDF renderer with its safe url_fetcher.
"""

from __future__ import annotations

from crm.orders.contract_documents import page, render_body
from crm.orders.document_wording import COMPANIES, QUOTE_TEMPLATES, document_language
from crm.orders.quotes import Quote, quote_totals
from i18n import _, force_locale, zones


def context(quote: Quote, language: str) -> dict:
    """Plain values the template uses: ``quote``, ``customer``, ``lines``, ``totals``, ``company`` (in
    ``language``), ``today``."""
    totals = quote_totals(quote)
    return {
        "company": COMPANIES[language], "currency": quote.currency,
        "today": zones.site_today(),
        "quote": {key: getattr(quote, key) for key in (
            "number", "title", "revision", "valid_until", "discount_percent", "tax_percent", "notes", "status")},
        "customer": {key: getattr(quote.customer, key) for key in ("company", "address", "phone", "email")},
        "lines": [{key: getattr(line, key) for key in (
            "position", "description", "quantity", "unit_price", "discount_percent", "amount")}
            for line in quote.lines],
        "totals": {key: getattr(totals, key) for key in ("subtotal", "discount", "net", "tax", "total")},
    }


def render_html(quote: Quote) -> str:
    """The quote as a complete, sanitised HTML page in the quote's language (wording, amounts and dates)."""
    language = document_language(quote.language)
    with force_locale(language):
        body = render_body(QUOTE_TEMPLATES[language], context(quote, language))
        return page(_("Quotation %(number)s", number=quote.number), body, language)
