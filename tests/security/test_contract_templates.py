"""Contract templates (issue 11, item 2): no server files in the PDF, no URL fetched by the server, no script on
the app's origin; templates sanitised on save, the document sanitised again on render and served with a strict CSP."""

from __future__ import annotations

import datetime as dt
import socket
from decimal import Decimal

import pytest
from sqlalchemy import select

from crm.accounts.users import User
from crm.customers.models import Customer
from crm.orders import contract_documents
from crm.orders.contract_safety import allowed_asset, clean_template, url_fetcher
from crm.orders.contracts import Contract, ContractTemplate, from_template
from crm.orders.document_wording import CONTRACT_TEMPLATES

HOSTILE = ('<h1>Contract {{ contract.number }}</h1><link rel="attachment" href="file:///etc/passwd">'
           '<img src="http://127.0.0.1:1/x"><script>alert(document.cookie)</script>'
           '<p onclick="alert(1)" style="color: red; background-image: url(file:///etc/passwd)">Terms</p>'
           '<iframe src="http://evil.example"></iframe><a href="javascript:alert(1)">x</a>')


@pytest.fixture
def listener():
    """A TCP port on 127.0.0.1 that records whether anyone connected (the server fetching a URL: SSRF)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.setblocking(False)
    yield server
    server.close()


def _connected(server: socket.socket) -> bool:
    try:
        server.accept()[0].close()
    except BlockingIOError:
        return False
    return True


def test_saving_a_template_strips_what_is_not_layout(platform, login):
    page = login("custdir").post("/contracts/templates", data={"name": "Hostile", "body": HOSTILE})
    assert page.status_code == 302
    with platform.sessions() as session:
        body = session.scalars(select(ContractTemplate.body).where(ContractTemplate.name == "Hostile")).one()
    for refused in ("<script", "file:", "http:", "<link", "onclick", "<iframe", "javascript:", "url("):
        assert refused not in body, refused
    assert "<h1>Contract {{ contract.number }}</h1>" in body and 'style="color:red"' in body and "Terms" in body


@pytest.mark.parametrize("language", CONTRACT_TEMPLATES)
def test_the_default_template_survives_sanitising_and_still_renders(language):
    cleaned = clean_template(CONTRACT_TEMPLATES[language])
    for tag in ("{% for line in lines %}", "{{ line.unit_price|money }}", "{{ contract.start_date|date if",
                "{% endfor %}", "<table>", "<td>{{ line.position }}</td>"):
        assert tag in cleaned, tag
    contract_documents.check_template(cleaned)


@pytest.fixture
def contract_id(platform) -> int:
    """A draft contract whose template was stored unsanitised (as before this check existed)."""
    with platform.sessions.begin() as session:
        owner = session.scalars(select(User).where(User.username == "sales")).one()
        customer = Customer(company="Blue Whale", owner=owner)
        template = ContractTemplate(name="Old", body=HOSTILE + '{{ "<script>alert(2)</script>"|safe }}')
        session.add_all([customer, template])
        session.flush()
        contract = from_template(session, template, customer, owner, "Hulls", Decimal("1000"),
                                 start_date=dt.date.today())
        return contract.id


def test_document_page_runs_no_script_and_sends_a_strict_policy(login, contract_id):
    response = login("sales").get(f"/contracts/{contract_id}/document")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Contract" in html
    for refused in ("<script", "file:", "http://127.0.0.1", "<link", "onclick", "<iframe", "javascript:"):
        assert refused not in html, refused
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy and "sandbox" in policy


def test_pdf_embeds_no_server_file_and_fetches_no_url(platform, listener, contract_id):
    port = listener.getsockname()[1]
    html = ('<html><body><h1>x</h1><link rel="attachment" href="file:///etc/passwd">'
            f'<img src="http://127.0.0.1:{port}/x"><img src="file:///etc/hostname">'
            f'<style>@import url("http://127.0.0.1:{port}/css");</style></body></html>')
    pdf = contract_documents.render_pdf(html)
    assert pdf.startswith(b"%PDF")
    assert b"/EmbeddedFile" not in pdf and b"passwd" not in pdf
    assert not _connected(listener)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "http://127.0.0.1:1/x", "https://example.com/logo.png",
                                 "ftp://example.com/x", "asset:../../config/__init__.py", "asset:", "/etc/passwd",
                                 "logo.png"])
def test_fetcher_refuses_everything_but_bundled_assets(url):
    with pytest.raises(ValueError):
        allowed_asset(url)
    with pytest.raises(ValueError):
        url_fetcher().fetch(url)


def test_fetcher_serves_bundled_assets_and_inline_data():
    assert url_fetcher().fetch("asset:README.txt").read().startswith(b"Files a contract")
    assert url_fetcher().fetch("data:text/plain;base64,aGk=").read() == b"hi"


def test_contract_pdf_page_still_renders(login, contract_id):
    response = login("sales").get(f"/contracts/{contract_id}/document.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")


def test_unchanged_contract_row(platform, contract_id):
    with platform.sessions() as session:
        assert session.get(Contract, contract_id).status == "draft"
