"""The load test's simulated people (bench/loadtest/answers.py) answer forms the way the forms accept: from what
the API says of a form (types, options, bounds, references, rules), the customer's processes in bpmn/ are started
and worked through without a refused submission."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from decimal import Decimal

import pytest
from sqlalchemy import select

from bench.loadtest.answers import CannotAnswer, as_html_form, as_json, fill
from crm.accounts.users import User
from crm.customers.models import Customer
from web.cli.engine import deploy_directory

PEOPLE = ("sales", "salesdir", "custdir", "mktdir", "agent", "engineer", "finance", "info")


def _field(field_id: str, kind: str, **declared) -> dict:
    """A field as ``GET /api/tasks/<id>`` describes it."""
    return {"id": field_id, "type": kind, "required": False, "readonly": False, "options": [], "min": None,
            "max": None, "minlength": None, "maxlength": None, "pattern": None, "default": None, "reference": None,
            **declared}


def _rule(expression: str, *fields: str) -> dict:
    return {"expression": expression, "message": "", "fields": list(fields), "override_role": None}


def test_an_answer_a_rule_refuses_is_changed_to_one_it_accepts():
    fields = [_field("budget", "decimal", readonly=True),
              _field("advance_amount", "decimal", required=True),
              _field("planned_date", "date", required=True)]
    answers = fill(fields, {"budget": "300.00", "advance_amount": "500.00", "planned_date": "2020-01-01"}, {},
                   [_rule("advance_amount <= budget", "advance_amount", "budget"),
                    _rule("planned_date >= today", "planned_date")], lambda kind: None)
    assert answers["advance_amount"] == Decimal("300.00")  # the budget it is compared with
    assert answers["planned_date"] > dt.datetime.now(dt.UTC).date()  # tomorrow in any time zone of the site
    assert "budget" not in answers  # readonly: the server keeps its own value


def test_a_rule_over_task_data_and_a_choice_is_met_by_either():
    fields = [_field("claim_decision", "enum", required=True,
                     options=[{"value": "approve", "label": ""}, {"value": "reject", "label": ""}]),
              _field("approved_amount", "decimal")]
    rule = _rule("claim_decision != 'approve' or (approved_amount is not None and approved_amount <= claim_total)",
                 "claim_decision", "approved_amount", "claim_total")
    for seed in range(20):
        answers = fill(fields, {}, {"claim_total": "80.00"}, [rule], lambda kind: None, random.Random(seed))
        assert answers["claim_decision"] == "reject" or answers["approved_amount"] <= Decimal("80.00")


def test_required_boxes_are_ticked_references_picked_patterns_matched_and_bounds_kept():
    fields = [_field("confirmed", "boolean", required=True), _field("engineer", "reference", required=True,
                                                                    reference={"kind": "user", "lookup_url": ""}),
              _field("code", "string", required=True, pattern=r"[A-Z]{3}-\d{4}"),
              _field("score", "integer", required=True, min=1, max=5),
              _field("start", "datetime", required=True)]
    answers = fill(fields, {"confirmed": False}, {}, [], {"user": 7}.get)
    assert answers["confirmed"] is True and answers["engineer"] == 7 and 1 <= answers["score"] <= 5
    assert len(answers["code"]) == 8 and answers["code"][3] == "-"
    assert as_json(answers)["start"].endswith("Z")
    assert as_html_form(answers)["confirmed"] == "true"  # what the page's checkbox sends
    with pytest.raises(CannotAnswer):
        fill(fields, {}, {}, [], lambda kind: None)  # no engineer to pick


@pytest.fixture
def office(platform, client):
    """The customer's processes deployed, customers of a salesperson, each person's bearer token."""
    deploy_directory(platform, platform.settings.bpmn_dir, "owner")
    with platform.sessions.begin() as session:
        sales_id = session.scalar(select(User.id).where(User.username == "sales"))
        session.add_all(Customer(company=f"Load Customer {n}", owner_id=sales_id) for n in range(3))
    tokens = {name: client.post("/api/auth/token", json={"username": name, "password": "demo"}).json["token"]
              for name in PEOPLE}
    return {name: {"Authorization": f"Bearer {token}"} for name, token in tokens.items()}


def test_people_start_and_work_through_every_process_without_a_refusal(client, office, settle_jobs):
    rng = random.Random(18)
    outcomes: Counter = Counter()
    done: set[str] = set()

    def picker(headers):
        def pick(kind):
            found = client.get(f"/api/lookup/{kind}", headers=headers).json
            return rng.choice(found)["id"] if found else None
        return pick

    for _round in range(4):
        for headers in office.values():
            for process in client.get("/api/processes", headers=headers).json:
                fields = (process["start_form"] or {}).get("fields", [])
                try:
                    answers = fill(fields, {f["id"]: f["default"] for f in fields}, {}, [], picker(headers), rng)
                except CannotAnswer:  # no draft contract, no open payment plan line: nothing to start
                    continue
                started = client.post(f"/api/processes/{process['key']}/instances", json=as_json(answers),
                                      headers=headers)
                outcomes[started.status_code] += 1
                assert started.status_code == 201, (process["key"], answers, started.json)
        settle_jobs()
        for headers in office.values():
            listed = client.get("/api/tasks", headers=headers).json
            for task in listed["mine"] + listed["queue"]:
                detail = client.get(f"/api/tasks/{task['id']}", headers=headers).json
                if detail.get("status") != "ready" or not detail.get("form"):
                    continue
                answers = fill(detail["form"]["fields"], detail["initial"] or {}, detail["data"] or {},
                               detail["rules"], picker(headers), rng)
                completed = client.post(f"/api/tasks/{task['id']}/complete", json=as_json(answers), headers=headers)
                outcomes[completed.status_code] += 1
                assert completed.status_code in (200, 404, 409), (task["process"], task["name"], completed.json)
                done.add(f"{task['process']}/{task['name']}")
        settle_jobs()
    assert outcomes[422] == 0
    assert {"bidding/bd_pay_bond", "customer_visit/cv_draft_plan", "expense_reimbursement/claim_review",
            "service_request/sr_prepare"} <= done, sorted(done)  # tasks with rules, date-times, several choices
