"""Contract and quote PDFs print Chinese in an embedded CJK font (issue 14 item 6)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from crm import pdf_fonts
from crm.accounts.users import User
from crm.customers.models import Customer
from crm.orders import contract_documents
from crm.orders.contracts import ContractTemplate, from_template
from crm.orders.document_wording import CONTRACT_TEMPLATES

COMPANY = "北京世纪重工机械有限公司"
TITLE = "三号船体分段焊接工程"


def _embedded_fonts(reader: PdfReader) -> set[str]:
    """BaseFont names of the fonts whose program is inside the PDF."""
    found = set()
    for page in reader.pages:
        for font in (page["/Resources"].get_object().get("/Font") or {}).values():
            font = font.get_object()
            descendants = [d.get_object() for d in font.get("/DescendantFonts", [])] or [font]
            for candidate in descendants:
                descriptor = candidate.get("/FontDescriptor")
                if descriptor is not None and any(k in descriptor.get_object()
                                                  for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    found.add(str(candidate["/BaseFont"]))
    return found


@pytest.fixture
def contract_id(platform) -> int:
    with platform.sessions.begin() as session:
        owner = session.scalars(select(User).where(User.username == "sales")).one()
        customer = Customer(company=COMPANY, address="北京市朝阳区建国路88号", owner=owner)
        template = ContractTemplate(name="标准合同", body=CONTRACT_TEMPLATES["zh_CN"], language="zh_CN")
        session.add_all([customer, template])
        session.flush()
        return from_template(session, template, customer, owner, TITLE, Decimal("1234.5"),
                             start_date=dt.date(2026, 12, 4)).id


def test_a_cjk_font_is_installed():
    assert pdf_fonts.cjk_families(), "install fonts-noto-cjk (make run / .ci/run do)"


def test_the_contract_pdf_holds_the_chinese_text_in_an_embedded_cjk_font(login, contract_id):
    answer = login("sales").get(f"/contracts/{contract_id}/document.pdf")
    assert answer.status_code == 200 and answer.data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(answer.data))
    text = "".join(page.extract_text() for page in reader.pages)
    for chinese in (COMPANY, TITLE, "北京市朝阳区建国路88号"):
        assert chinese in text.replace("\n", "")
    fonts = _embedded_fonts(reader)
    assert any("CJK" in name for name in fonts), fonts


def test_a_template_may_still_choose_its_own_font(contract_id):
    html = contract_documents.page("x", '<p style="font-family: DejaVu Serif">Latin 中文</p>')
    reader = PdfReader(io.BytesIO(contract_documents.render_pdf(html)))
    fonts = _embedded_fonts(reader)
    assert any("DejaVu-Serif" in name for name in fonts) and any("CJK" in name for name in fonts), fonts
