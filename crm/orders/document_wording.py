"""The wording of the printed documents in each language the product ships: the built-in contract and quote
templates (filled in the sandbox of :mod:`crm.orders.contract_documents`), and which language a document takes.

A document speaks its customer's language, not the reader's: a quote carries its ``language`` (chosen on the
quote, default the site's ``CRM_LOCALE``); a contract prints in its template's language, else its quote's, else
the site's. Amounts and dates are formatted in that language (:mod:`crm.formatting` filters).
"""

from __future__ import annotations

from crm import formatting
from i18n import LANGUAGES

CONTRACT_TEMPLATES = {
    "zh_CN": """\
<h1>销售合同 {{ contract.number }}</h1>
<p><strong>卖方：</strong>{{ company }}<br>
<strong>买方：</strong>{{ customer.company }}{% if customer.address %}，{{ customer.address }}{% endif %}</p>
<h2>{{ contract.title }}</h2>
{% if lines %}
<table>
  <tr><th>序号</th><th>项目</th><th>数量</th><th>单价</th><th>折扣</th><th>金额</th></tr>
  {% for line in lines %}
  <tr><td>{{ line.position }}</td><td>{{ line.description }}</td><td>{{ line.quantity|number }}</td>
      <td>{{ line.unit_price|money }}</td><td>{{ line.discount_percent|percent }}</td>
      <td>{{ line.amount|money }}</td></tr>
  {% endfor %}
</table>
{% endif %}
<p>合同总金额：<strong>{{ contract.amount|money }}</strong>
{% if contract.tax_amount %}（含税额 {{ contract.tax_amount|money }}）{% endif %}</p>
{% if payments %}
<h3>付款计划</h3>
<ul>{% for p in payments %}<li>{{ p.label }}：{{ p.amount|money }}，于 {{ p.due_date|date }} 前支付</li>
{% endfor %}</ul>
{% endif %}
<p>{{ contract.payment_terms }}</p>
<p>合同期限：自 {{ contract.start_date|date if contract.start_date else "合同签订之日" }}
至 {{ contract.end_date|date if contract.end_date else "合同履行完毕" }}。</p>
<p>卖方签署日期：{{ contract.company_signed_on|date if contract.company_signed_on else "__________" }}；
   买方签署日期：{{ contract.customer_signed_on|date if contract.customer_signed_on else "__________" }}。</p>
""",
    "en": """\
<h1>Sales contract {{ contract.number }}</h1>
<p><strong>Seller:</strong> {{ company }}<br>
<strong>Buyer:</strong> {{ customer.company }}{% if customer.address %}, {{ customer.address }}{% endif %}</p>
<h2>{{ contract.title }}</h2>
{% if lines %}
<table>
  <tr><th>#</th><th>Item</th><th>Quantity</th><th>Unit price</th><th>Discount</th><th>Amount</th></tr>
  {% for line in lines %}
  <tr><td>{{ line.position }}</td><td>{{ line.description }}</td><td>{{ line.quantity|number }}</td>
      <td>{{ line.unit_price|money }}</td><td>{{ line.discount_percent|percent }}</td>
      <td>{{ line.amount|money }}</td></tr>
  {% endfor %}
</table>
{% endif %}
<p>Total amount: <strong>{{ contract.amount|money }}</strong>
{% if contract.tax_amount %}(including tax {{ contract.tax_amount|money }}){% endif %}</p>
{% if payments %}
<h3>Payment schedule</h3>
<ul>{% for p in payments %}<li>{{ p.label }}: {{ p.amount|money }} due {{ p.due_date|date }}</li>{% endfor %}</ul>
{% endif %}
<p>{{ contract.payment_terms }}</p>
<p>Term: {{ contract.start_date|date if contract.start_date else "on signature" }}
to {{ contract.end_date|date if contract.end_date else "completion" }}.</p>
<p>Signed for the seller on {{ contract.company_signed_on|date if contract.company_signed_on else "__________" }},
   for the buyer on {{ contract.customer_signed_on|date if contract.customer_signed_on else "__________" }}.</p>
""",
}
"""The standard contract wording (a contract without a template of its own; a new template starts from it)."""

QUOTE_TEMPLATES = {
    "zh_CN": """\
<h1>报价单 {{ quote.number }}</h1>
<p><strong>报价方：</strong>{{ company }}<br>
<strong>客户：</strong>{{ customer.company }}{% if customer.address %}，{{ customer.address }}{% endif %}</p>
<h2>{{ quote.title }}</h2>
<p>报价日期：{{ today|date }} · 有效期至 {{ quote.valid_until|date }}{% if quote.revision > 1 %}
 · 第 {{ quote.revision }} 版{% endif %}</p>
<table>
  <tr><th>序号</th><th>项目</th><th>数量</th><th>单价</th><th>折扣</th><th>金额</th></tr>
  {% for line in lines %}
  <tr><td>{{ line.position }}</td><td>{{ line.description }}</td><td>{{ line.quantity|number }}</td>
      <td>{{ line.unit_price|money }}</td><td>{{ line.discount_percent|percent }}</td>
      <td>{{ line.amount|money }}</td></tr>
  {% endfor %}
</table>
<p>小计：{{ totals.subtotal|money }}<br>
{% if totals.discount %}折扣（{{ quote.discount_percent|percent }}）：−{{ totals.discount|money }}<br>{% endif %}
税额（{{ quote.tax_percent|percent }}）：{{ totals.tax|money }}<br>
<strong>总计：{{ totals.total|money }}</strong></p>
{% if quote.notes %}<p>{{ quote.notes }}</p>{% endif %}
""",
    "en": """\
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
""",
}
"""The quote document's wording (filled in the sandbox, escaped, sanitised)."""

COMPANIES = {"zh_CN": "船厂有限公司", "en": "Shipyard Ltd."}
"""The seller's name as the documents print it."""


def document_language(language: str | None) -> str:
    """The shipped document language for a stored ``language`` (empty: the site's ``CRM_LOCALE``): ``zh_CN`` for
    any Chinese, else English."""
    code = language or formatting.defaults().locale
    return "zh_CN" if code.lower().startswith("zh") else "en"


def language_choices() -> dict[str, str]:
    """The document languages with their names in their own language, the site's first."""
    first = document_language("")
    return {first: LANGUAGES[first], **{code: name for code, name in LANGUAGES.items() if code != first}}
