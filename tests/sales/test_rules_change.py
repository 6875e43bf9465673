"""Grading rules, approval authority and the bid threshold change by deploying edited DMN/BPMN alone."""

from __future__ import annotations

import io
from decimal import Decimal

from crm.customers.models import Customer
from tests.support.api_driver import BPMN_DIR


def _upload(login, name: str, text: str) -> None:
    owner = login("owner")
    response = owner.post("/processes/library/upload", data={"files": (io.BytesIO(text.encode()), name)},
                          content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]


def _edited(name: str, old: str, new: str) -> str:
    text = (BPMN_DIR / name).read_text()
    assert old in text
    return text.replace(old, new)


def test_raising_the_customer_directors_authority(team, login, make_customer):
    customer_id = make_customer(grade="ordinary")
    before = team.start("customer_visit", "sales", customer_id=customer_id, purpose="Before the change")
    team.do(before, "cv_draft_plan", budget="30000")
    assert team.data(before)["approval_level"] == "marketing_director"

    _upload(login, "approval_authority.dmn",
            _edited("approval_authority.dmn", "<text>&lt;= 20000</text>", "<text>&lt;= 100000</text>"))
    after = team.start("customer_visit", "sales", customer_id=customer_id, purpose="After the change")
    team.do(after, "cv_draft_plan", budget="30000")
    assert team.data(after)["approval_level"] == "customer_director"
    team.do(after, "cv_director_approval", director_decision="approve")
    assert {t.task_name for t in team.ready(after)} == {"cv_prepare", "cv_pay_advance"}
    team.do(before, "cv_director_approval", director_decision="approve")  # a running instance keeps its rules
    assert [t.task_name for t in team.ready(before)] == ["cv_marketing_approval"]


def test_changing_the_grading_table(team, platform, login, make_customer):
    customer_id = make_customer(won=Decimal("200000"))
    _upload(login, "customer_grading.dmn",
            _edited("customer_grading.dmn", "<text>&gt;= 500000</text>", "<text>&gt;= 100000</text>"))
    instance_id = team.start("relationship_maintenance", "sales", customer_id=customer_id, customer_info="x")
    team.do(instance_id, "rm_collect")
    with platform.sessions() as session:
        assert session.get(Customer, customer_id).grade == "ordinary"  # prospect under the shipped rules


def test_changing_the_bid_threshold_in_bpmn(team, login, make_customer):
    _upload(login, "bidding.bpmn", _edited("bidding.bpmn", "50000000", "100000000"))
    instance_id = team.start("bidding", "sales", customer_id=make_customer(), project="Ferry",
                             deadline="2031-01-01T12:00", estimated_value="90000000")
    team.do(instance_id, "bd_recommend", recommendation="bid")
    team.do(instance_id, "bd_director_decision", bid_decision="bid")
    assert [t.task_name for t in team.ready(instance_id)] == ["bd_buy_documents"]  # no sales director needed
