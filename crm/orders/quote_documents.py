"""The quote document: the built-in quote template filled in the contract documents' sandboxed engine; HTML or PDF.

Nothing is copied from :mod:`crm.orders.contract_documents`: the same environment (money, number and date
filters of :mod:`crm.formatting`), the same sanitising page and the same PDF renderer with its safe url_fetcher.
"""

from __future__ import annotations

from crm.orders.contract_documents import COMPANY, page, render_body
from crm.orders.quotes import Quote, quote_totals
from i18n import zones

TEMPLATE = """\
<h1>Quotation {{ quote.number }}</h1>
<p><strong>From:</strong> {{ company }}<br>
<strong>To:</strong> {{ customer.company }}{% if customer.address %}, {{ customer.address }}{% endif %}</p>
<h2>{{ quote.title }}</h2>
<p>Date: {{ today|date }} · valid until {{ quote.valid_until|date }}{% if quote.revision > 1 %}
 · revision {{ quote.revision }}{% endif %}</p>
<table>
  <tr><th>#</th><th>Item</th><th>Quantity</th><th>Unit price</th><th>Discount</th><th>Amount</th></tr>
  {% for line in lines %}
  <tr><td>{{ line.position }}</td><td>{{ line.description }}</td><td>{{ line.quantity|number }}</td>
      <td>{{ line.unit_price|money }}</td><td>{{ line.discount_percent|percent }}</td>
      <td>{{ line.amount|money }}</td></tr>
  {% endfor %}
</table>
<p>Subtotal: {{ totals.subtotal|money }}<br>
{% if totals.discount %}Discount ({{ quote.discount_percent|percent }}): −{{ totals.discount|money }}<br>{% endif %}
Tax ({{ quote.tax_percent|percent }}): {{ totals.tax|money }}<br>
<strong>Total: {{ totals.total|money }}</strong></p>
{% if quote.notes %}<p>{{ quote.notes }}</p>{% endif %}
"""
"""The quote document's wording (filled in the sandbox, escaped, sanitised)."""


def context(quote: Quote) -> dict:
    """Plain values the template uses: ``quote``, ``customer``, ``lines``, ``totals``, ``company``, ``today``."""
    totals = quote_totals(quote)
    return {
        "company": COMPANY, "currency": quote.currency,
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
    """The quote as a complete, sanitised HTML page."""
    return page(f"Quotation {quote.number}", render_body(TEMPLATE, context(quote)))
