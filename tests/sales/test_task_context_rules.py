"""Issue 13: every task shows the record it decides on; cross-field rules refuse over HTML and API, with overrides;
the message after completing says what happened next."""

from __future__ import annotations

import datetime as dt
import html
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import select

from engine.models import InstanceEvent
from forms import read_declarations
from services.processes.rules import broken_rules
from services.processes.task_context import VIEWS
from tests.sales.driver import value_for
from tests.support.api_driver import as_json, fill

BPMN = Path(__file__).resolve().parents[2] / "bpmn"
SHIPPED = sorted(BPMN.glob("*.bpmn"))


def _declared(path: Path) -> dict:
    return read_declarations(etree.parse(str(path)).getroot())


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_every_user_task_of_every_shipped_process_has_a_known_context(path):
    declared = _declared(path)
    assert declared, f"{path.name} has no user tasks"
    missing = [task for task, found in declared.items() if found.context not in VIEWS]
    assert missing == [], f"{path.name}: user tasks without a known context: {missing}"


RULE_CASES = [  # (file, task, violating values, valid values: a function for those relative to the test's day)
    ("customer_visit.bpmn", "cv_draft_plan", {"planned_date": dt.date(2020, 1, 1)},
     lambda: {"planned_date": dt.date.today()}),
    ("customer_visit.bpmn", "cv_pay_advance", {"budget": Decimal(8000), "advance_amount": Decimal(20000)},
     {"budget": Decimal(8000), "advance_amount": Decimal(8000)}),
    ("customer_reception.bpmn", "cr_draft_plan", {"arrival_date": dt.date(2020, 1, 1)},
     lambda: {"arrival_date": dt.date.today() + dt.timedelta(days=3)}),
    ("customer_reception.bpmn", "cr_pay_advance", {"budget": Decimal(100), "advance_amount": Decimal("100.01")},
     {"budget": Decimal(100), "advance_amount": Decimal(0)}),
    ("expense_reimbursement.bpmn", "claim_review",
     {"claim_total": Decimal("5600.50"), "claim_decision": "approve", "approved_amount": Decimal(9000)},
     {"claim_total": Decimal("5600.50"), "claim_decision": "approve", "approved_amount": Decimal("5600.50")}),
    ("service_request.bpmn", "sr_carry_out", {"planned_hours": Decimal(8), "labour_hours": Decimal(1000)},
     {"planned_hours": Decimal(8), "labour_hours": Decimal(12)}),
    ("service_request.bpmn", "sr_dispatch", {"scheduled_start": dt.datetime(2020, 1, 1, 9)},
     lambda: {"scheduled_start": dt.datetime.now() + dt.timedelta(days=1)}),
    ("bidding.bpmn", "bd_commercial", {"estimated_value": Decimal(1000000), "bid_price": Decimal(60000000)},
     {"estimated_value": Decimal(1000000), "bid_price": Decimal(900000)}),
]


@pytest.mark.parametrize(("name", "task", "bad", "good"), RULE_CASES, ids=[f"{c[0]}-{c[1]}" for c in RULE_CASES])
def test_each_shipped_rule_refuses_a_violation_and_accepts_a_valid_submission(name, task, bad, good):
    rules = _declared(BPMN / name)[task].rules
    assert rules, f"{task} declares no rule"
    assert broken_rules(rules, {}, bad)
    assert broken_rules(rules, {}, good() if callable(good) else good) == []


def _visit_at_pay_advance(team, customer_id) -> int:
    instance_id = team.start("customer_visit", "sales", customer_id=customer_id, purpose="Present the hull design")
    team.do(instance_id, "cv_draft_plan", budget="8000", objectives="Hull design")
    team.do(instance_id, "cv_director_approval", director_decision="approve")
    return instance_id


def _api_submit(team, instance_id: int, name: str, override_reason: str = "", **choices):
    row = team.task(instance_id, name)
    user = team.user_for(row)
    detail = user.get(f"/api/tasks/{row.id}").get_json()
    values = fill(detail["form"], detail["initial"], user, as_json(choices), value_for)
    if override_reason:
        values["override_reason"] = override_reason
    return row, detail, user.api("POST", f"/api/tasks/{row.id}/complete", json=values)


def test_planned_date_in_the_past_is_refused_by_html_and_api(team, make_customer):
    instance_id = team.start("customer_visit", "sales", customer_id=make_customer(), purpose="Intro")
    row, _, response = _api_submit(team, instance_id, "cv_draft_plan", planned_date="2020-01-01", budget="100")
    assert response.status_code == 422
    assert response.get_json()["fields"]["planned_date"] == ["The visit cannot be planned in the past"]
    page = team.user("sales").post(f"/tasks/{row.id}", data={
        "planned_date": "2020-01-01", "objectives": "x", "budget": "100"})
    assert page.status_code == 422
    assert "The visit cannot be planned in the past" in html.unescape(page.get_data(as_text=True))
    assert team.task_status(row.id) == "ready"
    _, _, response = _api_submit(team, instance_id, "cv_draft_plan", planned_date=dt.date.today().isoformat(),
                                 budget="100")
    assert response.status_code == 200, response.get_json()


def test_advance_above_the_budget_is_refused_and_finance_may_override_with_a_reason(team, platform, make_customer):
    instance_id = _visit_at_pay_advance(team, make_customer())
    row, detail, response = _api_submit(team, instance_id, "cv_pay_advance", advance_amount="20000")
    assert response.status_code == 422
    assert "The advance cannot exceed the approved budget" in response.get_json()["fields"]["advance_amount"][0]
    facts = {f["label"]: f["value"] for f in detail["context"]["facts"]}
    assert facts["Approved budget"] == "¥8,000.00" and detail["context"]["kind"] == "visit"
    assert detail["rules"][0]["override_role"] == "finance"

    finance = team.user("finance")
    page = finance.get(f"/tasks/{row.id}").get_data(as_text=True)
    assert 'id="task-context"' in page and "¥8,000.00" in page and 'name="override_reason"' in page
    refused = finance.post(f"/tasks/{row.id}", data={"advance_amount": "20000", "advance_paid_on": "2026-01-05"})
    assert refused.status_code == 422 and "cannot exceed the approved budget" in refused.get_data(as_text=True)

    _, _, response = _api_submit(team, instance_id, "cv_pay_advance", advance_amount="20000",
                                 override_reason="Director agreed by phone: two extra guests")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["outcome"]["kind"] in ("success", "info")
    with platform.sessions() as session:
        [event] = session.scalars(select(InstanceEvent).where(
            InstanceEvent.instance_id == instance_id, InstanceEvent.kind == "rule_overridden")).all()
        assert event.actor == "finance" and "two extra guests" in event.message


def test_a_salesperson_cannot_override(team, make_customer):
    instance_id = team.start("customer_visit", "sales", customer_id=make_customer(), purpose="Intro")
    _, _, response = _api_submit(team, instance_id, "cv_draft_plan", planned_date="2020-01-01", budget="100",
                                 override_reason="I insist")
    assert response.status_code == 422


def test_the_flash_after_completing_says_where_the_work_went(team, make_customer):
    instance_id = team.start("customer_visit", "sales", customer_id=make_customer(), purpose="Intro")
    row = team.task(instance_id, "cv_draft_plan")
    sales = team.user("sales")
    response = sales.post(f"/tasks/{row.id}", data={
        "planned_date": dt.date.today().isoformat(), "objectives": "Hull design", "budget": "100"})
    assert response.status_code == 302
    page = html.unescape(sales.get("/worklist/").get_data(as_text=True))
    assert "“① Draft the visit plan” completed. Next:" in page and "queue" in page
    assert "alert-success" in page
