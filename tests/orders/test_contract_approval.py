"""Quote -> contract -> approval over HTTP: every route of the decision table, rejection, reminders, escalation."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from crm.notifications.messages import OutboxMessage
from crm.orders.contracts import Contract
from crm.orders.reminders import Reminder
from engine.models import ProcessInstance
from tests.support.timers import make_timers_due

from .driver import location_id


def quote_to_contract(sales, shop, grade: str, lines: list[tuple[str, str, str]], *, discount="5", tax="13") -> int:
    """Create, fill and accept a quote through the pages, then make the contract from it; returns its id."""
    valid = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    quote_id = location_id(sales.post("/quotes/", {"customer_id": shop["customers"][grade], "title": "Patrol boats",
                                                   "valid_until": valid, "discount_percent": discount,
                                                   "tax_percent": tax}))
    for product, quantity, line_discount in lines:
        response = sales.post(f"/quotes/{quote_id}/lines", {"product_id": shop["products"][product],
                                                            "quantity": quantity, "discount_percent": line_discount})
        assert response.status_code == 302
    assert sales.post(f"/quotes/{quote_id}/status", {"status": "accepted"}).status_code == 302
    return location_id(sales.post(f"/quotes/{quote_id}/contract", {"template_id": shop["template"],
                                                                    "payment_terms": "30 % advance"}))


def submit(sales, contract_id: int) -> int:
    assert sales.post(f"/contracts/{contract_id}/submit").status_code == 302
    return contract(sales.platform, contract_id).approval_instance_id


def contract(platform, contract_id: int) -> Contract:
    with platform.sessions() as session:
        found = session.get(Contract, contract_id)
        found.lines, found.customer  # noqa: B018 (load before the session closes)
        return found


def reminders(platform, contract_id: int) -> list[tuple[str, str]]:
    with platform.sessions() as session:
        rows = session.scalars(select(Reminder).where(Reminder.contract_id == contract_id).order_by(Reminder.id))
        return [(r.kind, r.recipients) for r in rows]


@pytest.fixture
def sales(desk):
    user = desk.user("sales")
    user.platform = desk.platform
    return user


def test_contract_is_made_from_the_quote_without_retyping(sales, shop):
    contract_id = quote_to_contract(sales, shop, "key", [("ENGINE", "3", "2.5"), ("HULL", "1", "0")])
    found = contract(sales.platform, contract_id)
    # 3 x 123,456.78 less 2.5 % = 361,111.0815; + 250,000 = 611,111.0815; less 5 % = 580,555.527425;
    # + 13 % tax (75,472.21856525) = 656,027.74599025 -> rounded once: 656,027.75
    assert found.amount == Decimal("656027.75") and found.tax_amount == Decimal("75472.22")
    assert [(line.description, line.amount) for line in found.lines] == [
        ("2000 kW engine", Decimal("361111.08")), ("40 m patrol hull", Decimal("250000.00"))]
    assert found.status == "draft" and found.customer.company == "Blue Whale Lines"
    page = sales.get(f"/contracts/{contract_id}").get_data(as_text=True)
    assert "656,027.75" in page and "Submit for approval" in page
    document = sales.get(f"/contracts/{contract_id}/document").get_data(as_text=True)
    assert f"Contract {found.number}" in document and "Blue Whale Lines" in document and "656,027.75" in document
    pdf = sales.get(f"/contracts/{contract_id}/document.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    again = sales.post(f"/quotes/{found.quote_id}/contract", {})
    assert again.status_code == 302 and "already has a contract" in sales.get(again.headers["Location"]).get_data(
        as_text=True)


ROUTES = [
    # grade, hulls, first tasks, then, route
    ("key", "2", ["ca_director_approval"], [], "Customer director"),
    ("prospect", "2", ["ca_finance_review", "ca_legal_review"], [],
     "Finance and legal review, customer director"),
    ("key", "10", ["ca_director_approval"], ["ca_sd_approval"], "Customer director, sales director"),
    ("ordinary", "10", ["ca_finance_review", "ca_legal_review"], ["ca_sd_approval"],
     "Finance and legal review, customer director, sales director"),
    ("key", "80", ["ca_finance_review", "ca_legal_review"], ["ca_sd_approval"],
     "Finance and legal review, customer director, sales director"),
]


@pytest.mark.parametrize(("grade", "hulls", "first", "after_director", "route"), ROUTES)
def test_each_approval_route(desk, sales, shop, grade, hulls, first, after_director, route):
    contract_id = quote_to_contract(sales, shop, grade, [("HULL", hulls, "0")], discount="0", tax="0")
    instance_id = submit(sales, contract_id)
    assert contract(desk.platform, contract_id).status == "in_approval"
    assert desk.ready_names(instance_id) == first
    if "ca_finance_review" in first:
        desk.do(instance_id, "ca_finance_review", finance_decision="approve")
        desk.do(instance_id, "ca_legal_review", legal_decision="approve")
    desk.do(instance_id, "ca_director_approval", director_decision="approve")
    for name in after_director:
        desk.do(instance_id, name, sd_decision="approve")
    signed = dt.date.today()
    desk.do(instance_id, "ca_sign", company_signed_on=signed, customer_signed_on=signed - dt.timedelta(days=1))
    assert desk.instance(instance_id).status == "completed"
    found = contract(desk.platform, contract_id)
    assert (found.status, found.approval_route, found.amount) == ("active", route, Decimal(hulls) * 250000)
    assert found.customer_signed_on == signed - dt.timedelta(days=1)
    approvers = ["custdir"] + (["salesdir"] if after_director else [])
    assert reminders(desk.platform, contract_id) == [("approval_request", name) for name in approvers]


def test_rejection_returns_the_contract_to_draft_and_it_can_be_resubmitted(desk, sales, shop):
    contract_id = quote_to_contract(sales, shop, "key", [("HULL", "10", "0")])
    instance_id = submit(sales, contract_id)
    desk.do(instance_id, "ca_director_approval", director_decision="approve")
    desk.do(instance_id, "ca_sd_approval", sd_decision="reject", sd_comment="Margin below policy")
    assert desk.instance(instance_id).status == "completed"
    found = contract(desk.platform, contract_id)
    assert (found.status, found.rejected_reason) == ("draft", "Sales director: Margin below policy")
    assert "Margin below policy" in sales.get(f"/contracts/{contract_id}").get_data(as_text=True)
    second = submit(sales, contract_id)
    assert second != instance_id and desk.ready_names(second) == ["ca_director_approval"]


def test_review_objection_rejects_before_the_directors(desk, sales, shop):
    contract_id = quote_to_contract(sales, shop, "prospect", [("HULL", "1", "0")])
    instance_id = submit(sales, contract_id)
    desk.do(instance_id, "ca_finance_review", finance_decision="reject", finance_comment="No credit history")
    desk.do(instance_id, "ca_legal_review", legal_decision="approve", legal_comment="")
    assert desk.instance(instance_id).status == "completed"
    found = contract(desk.platform, contract_id)
    assert found.status == "draft" and found.rejected_reason == "Review: No credit history / approve"
    assert reminders(desk.platform, contract_id) == []


def test_reminder_then_escalation_to_the_sales_director(desk, sales, shop, settle_jobs):
    contract_id = quote_to_contract(sales, shop, "key", [("HULL", "2", "0")])
    instance_id = submit(sales, contract_id)
    make_timers_due(desk.platform, instance_id, "ca_remind_director_timer")
    settle_jobs()
    assert desk.ready_names(instance_id) == ["ca_director_approval"]  # a reminder does not take the task away
    make_timers_due(desk.platform, instance_id, "ca_escalate_timer")
    settle_jobs()
    assert desk.ready_names(instance_id) == ["ca_sd_approval"]
    found = contract(desk.platform, contract_id)
    assert found.status == "in_approval" and found.escalated_at is not None
    assert reminders(desk.platform, contract_id) == [
        ("approval_request", "custdir"), ("approval_reminder", "custdir"), ("escalation", "custdir"),
        ("approval_request", "salesdir")]
    desk.do(instance_id, "ca_sd_approval", sd_decision="approve")
    desk.do(instance_id, "ca_sign")
    assert contract(desk.platform, contract_id).status == "active"


def test_text_messages_go_through_the_notifier(desk, sales, shop):
    contract_id = quote_to_contract(sales, shop, "key", [("HULL", "2", "0")])
    submit(sales, contract_id)
    number = contract(desk.platform, contract_id).number
    with desk.platform.sessions() as session:
        texts = session.scalars(select(OutboxMessage).where(OutboxMessage.channel == "sms")).all()
        assert [(m.subject, m.address) for m in texts] == [(f"Contract {number}", "+86 138 0000 0100")]


def test_a_double_submitted_approval_request_starts_one_process(desk, sales, shop):
    contract_id = quote_to_contract(sales, shop, "key", [("HULL", "10", "0")])
    page = sales.get(f"/contracts/{contract_id}").get_data(as_text=True)
    [key] = re.findall(r'name="idempotency_key" value="([0-9a-f]+)"', page)
    answers = [sales.post(f"/contracts/{contract_id}/submit", {"idempotency_key": key}) for _ in range(2)]
    assert [a.status_code for a in answers] == [302, 302]
    assert answers[1].headers["Idempotent-Replayed"] == "true"  # the first answer, not a second refusal
    approval = contract(desk.platform, contract_id).approval_instance_id
    with desk.platform.sessions() as session:
        started = session.scalars(select(ProcessInstance.id).where(ProcessInstance.process_key.like("contract%")))
        assert list(started) == [approval]
