"""Issue 13: finance reviewing a contract sees its amount, terms, lines and a link to the PDF (page and API)."""

from __future__ import annotations

import html

from .test_contract_approval import quote_to_contract, sales, submit  # noqa: F401 (fixture)


def test_finance_review_shows_the_contract(desk, sales, shop):  # noqa: F811
    contract_id = quote_to_contract(sales, shop, "prospect", [("ENGINE", "3", "2.5"), ("HULL", "1", "0")])
    instance_id = submit(sales, contract_id)
    row = desk.task(instance_id, "ca_finance_review")
    finance = desk.user_for(row)
    page = html.unescape(finance.get(f"/tasks/{row.id}").get_data(as_text=True))
    assert 'data-context-kind="contract"' in page
    assert "¥656,027.75" in page and "40 m patrol hull" in page
    assert f'href="/contracts/{contract_id}/document.pdf"' in page and "Payment terms" in page
    context = finance.get(f"/api/tasks/{row.id}").get_json()["context"]
    facts = {fact["label"]: fact["value"] for fact in context["facts"]}
    assert facts["Amount"] == "¥656,027.75" and facts["Customer"] == "New Tide Shipping"
    assert {"label": "Contract PDF", "href": f"/contracts/{contract_id}/document.pdf"} in context["links"]
    assert [r[0] for r in context["lines"]["rows"]] == ["2000 kW engine", "40 m patrol hull"]


def test_the_worklist_row_names_the_customer_and_the_contract_amount(desk, sales, shop):  # noqa: F811
    contract_id = quote_to_contract(sales, shop, "prospect", [("ENGINE", "3", "2.5"), ("HULL", "1", "0")])
    row = desk.task(submit(sales, contract_id), "ca_finance_review")
    finance = desk.user_for(row)
    which = "mine" if row.assignee else "queue"
    page = html.unescape(finance.get(f"/worklist/?list={which}").get_data(as_text=True))
    listed = page[page.index(f'data-task-id="{row.id}"'):]
    listed = listed[:listed.index("</tr>")]
    assert "New Tide Shipping" in listed and "Amount ¥656,027.75" in listed
    assert row.id in finance.get(f"/worklist/?list={which}&q=tide").get_data(as_text=True)
    [task] = [t for t in finance.get("/api/tasks").get_json()[which] if t["id"] == row.id]
    assert task["customer_name"] == "New Tide Shipping" and task["key_figure"]["text"] == "¥656,027.75"
