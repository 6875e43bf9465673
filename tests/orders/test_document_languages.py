"""Quote and contract documents in Chinese and English (issue 14 item 6): the document's language decides the
wording, the amounts and the dates, whatever the reader's; the PDF carries them as text."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from crm.accounts.users import User
from crm.customers.models import Customer
from crm.orders import contracts, quotes
from crm.orders.contracts import ContractTemplate
from crm.orders.document_wording import CONTRACT_TEMPLATES

VALID_UNTIL = dt.date(2027, 1, 31)
LANGUAGES = {
    # language: (quote headings, contract headings, the amount 1,234.50 US dollars, the validity date)
    "zh_CN": (("报价单", "报价方", "小计", "总计"), ("销售合同", "卖方", "合同总金额", "合同期限"), "US$1,234.50",
              "2027年1月31日"),
    "en": (("Quotation", "From:", "Subtotal", "Total:"), ("Sales contract", "Seller:", "Total amount", "Term:"),
           "$1,234.50", "31 Jan 2027"),
}


def _text(answer) -> str:
    assert answer.status_code == 200 and answer.data.startswith(b"%PDF"), answer.status_code
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(answer.data)).pages).replace("\n", "")


@pytest.fixture
def documents(platform):
    """Per language, a quote in US dollars (one line of 1,234.50) and the contract made from it."""
    made = {}
    with platform.sessions.begin() as session:
        owner = session.scalars(select(User).where(User.username == "sales")).one()
        customer = Customer(company="东海船务有限公司", address="上海市浦东新区", owner=owner)
        session.add(customer)
        for language in LANGUAGES:
            quote = quotes.create_quote(session, customer, owner, "三号船体分段", VALID_UNTIL, currency="USD",
                                        language=language)
            quotes.add_line(session, quote, Decimal(1), description="分段焊接", unit_price=Decimal("1234.50"))
            quotes.set_status(quote, "accepted", dt.date(2027, 1, 1))
            contract = contracts.from_quote(session, quote, end_date=VALID_UNTIL)
            session.flush()
            made[language] = (quote.id, contract.id)
    return made


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_quote_pdf_is_in_the_quotes_language(login, documents, language):
    headings, _contract, amount, day = LANGUAGES[language]
    text = _text(login("sales").get(f"/quotes/{documents[language][0]}/document.pdf"))
    for expected in (*headings, amount, day, "东海船务有限公司"):
        assert expected in text, (expected, text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_contract_pdf_is_in_its_quotes_language(login, documents, language):
    _quote, headings, amount, day = LANGUAGES[language]
    text = _text(login("sales").get(f"/contracts/{documents[language][1]}/document.pdf"))
    for expected in (*headings, amount, day, "东海船务有限公司"):
        assert expected in text, (expected, text)
    other = next(code for code in LANGUAGES if code != language)
    assert LANGUAGES[other][1][0] not in text


def test_a_contract_prints_in_its_templates_language(platform, login, documents):
    with platform.sessions.begin() as session:
        contract = session.get(contracts.Contract, documents["zh_CN"][1])
        contract.template = ContractTemplate(name="Export contract", body=CONTRACT_TEMPLATES["en"], language="en")
    text = _text(login("sales").get(f"/contracts/{documents['zh_CN'][1]}/document.pdf"))
    assert "Sales contract" in text and "$1,234.50" in text and "US$" not in text and "31 Jan 2027" in text


def test_the_quote_forms_choose_the_document_language(platform, login, documents):
    sales = login("sales")
    with platform.sessions() as session:
        customer_id = session.scalars(select(Customer.id).where(Customer.company == "东海船务有限公司")).one()
    assert 'name="language"' in sales.get("/quotes/new").get_data(as_text=True)
    created = sales.post("/quotes/", data={"customer_id": customer_id, "title": "Export spares",
                                           "valid_until": "2031-01-31", "language": "en", "currency": "CNY"})
    assert created.status_code == 302, re.findall(r"data-error-for=\"(\w+)\">([^<]*)", created.get_data(as_text=True))
    quote_id = int(created.headers["Location"].rsplit("/", 1)[1])
    with platform.sessions() as session:
        quote = session.get(quotes.Quote, quote_id)
        assert quote.language == "en"
        version = quote.version
    sales.post(f"/quotes/{quote_id}/edit", data={"version": version, "title": "Export spares",
                                                 "valid_until": "2031-01-31", "language": "zh_CN"})
    with platform.sessions() as session:
        assert session.get(quotes.Quote, quote_id).language == "zh_CN"
    refused = sales.post("/quotes/", data={"customer_id": customer_id, "title": "x", "valid_until": "2031-01-31",
                                           "language": "fr"})
    assert refused.status_code == 422 and 'data-error-for="language"' in refused.get_data(as_text=True)


def test_a_template_names_its_language(platform, login):
    page = login("custdir").get("/contracts/templates?language=en").get_data(as_text=True)
    assert "Sales contract {{ contract.number }}" in page
    login("custdir").post("/contracts/templates", data={"name": "出口合同", "body": CONTRACT_TEMPLATES["zh_CN"],
                                                          "language": "zh_CN"})
    with platform.sessions() as session:
        assert session.scalars(select(ContractTemplate.language).where(ContractTemplate.name == "出口合同")).one() \
            == "zh_CN"
