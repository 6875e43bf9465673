"""Data-quality checks on a known dataset (exact findings), the schedule, the page, and the task path: findings
handed to the information officers come back until the customers are fixed."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from crm.accounts.users import User
from crm.base import utcnow
from crm.customers.models import Customer
from crm.customers.records import create_customer
from crm.quality.models import QualityFinding, QualityRun
from crm.sales.activities import Activity
from engine.models import HumanTask, OutboxJob, ProcessInstance
from services.quality.runs import QualitySchedule, run_checks
from tests.support.api_driver import bpmn_files

NOW = dt.datetime(2026, 12, 7, 8, 0)
FULL = {"industry": "Shipbuilding", "region": "East China", "size": "200-1000", "phone": "+86 21 5555 0100"}


def _customer(session, company: str, owner=None, grade: str = "ordinary", created: dt.datetime = NOW, **values):
    customer = create_customer(session, {"company": company, "grade": grade, "relationship_type": "occasional",
                                         **values}, owner, "test")
    customer.created_at = created
    return customer


@pytest.fixture
def dataset(platform):
    """Eight customers, each with a known set of problems."""
    with platform.sessions.begin() as session:
        sales = session.scalar(select(User).where(User.username == "sales"))
        sales2 = session.scalar(select(User).where(User.username == "sales2"))
        sales2.active = False
        old = NOW - dt.timedelta(days=200)
        ids = {
            "clean": _customer(session, "Clean Co", sales, **FULL, email="a@clean.example.com").id,
            "twin_a": _customer(session, "Twin Works Ltd", sales, **{**FULL, "phone": "+86 21 6666 0001"}).id,
            "twin_b": _customer(session, "TWIN WORKS", sales, **{**FULL, "phone": "+86 21 6666 0002"}).id,
            "bare": _customer(session, "Bare Co", sales, phone="+86 21 6666 0003").id,
            "bad_mail": _customer(session, "Bad Mail Co", sales, **{**FULL, "phone": "+86 21 6666 0004"}).id,
            "orphan": _customer(session, "Orphan Co", sales2, **{**FULL, "phone": "+86 21 6666 0005"}).id,
            "key_idle": _customer(session, "Idle Key Co", sales, grade="key", created=old,
                                  **{**FULL, "phone": "+86 21 6666 0006"}).id,
            "key_busy": _customer(session, "Busy Key Co", sales, grade="key", created=old,
                                  **{**FULL, "phone": "+86 21 6666 0007"}).id,
        }
        session.flush()
        # legacy data written past the forms (as an old system or a raw import would have)
        session.execute(update(Customer).where(Customer.id == ids["bad_mail"]).values(email="not-an-address"))
        session.add(Activity(customer_id=ids["key_busy"], kind="call", subject="Check-in", status="done",
                             done_at=NOW - dt.timedelta(days=10), owner_id=sales.id))
        session.add(Activity(customer_id=ids["key_idle"], kind="call", subject="Long ago", status="done",
                             done_at=NOW - dt.timedelta(days=120), owner_id=sales.id))
    yield ids
    with platform.sessions.begin() as session:
        session.execute(update(User).where(User.username == "sales2").values(active=True))


def _findings(platform, ids) -> list[tuple[str, str, str, str]]:
    names = {v: k for k, v in ids.items()}
    with platform.sessions() as session:
        return sorted((names.get(f.customer_id, f.customer_id), f.check, f.detail, f.status)
                      for f in session.scalars(select(QualityFinding)))


def test_findings_on_a_known_dataset_are_exact(platform, dataset):
    with platform.sessions.begin() as session:
        counts = run_checks(session, NOW, 90)
    assert counts == {"duplicate": 2, "missing": 1, "invalid_contact": 1, "owner_inactive": 1, "key_idle": 1}
    assert _findings(platform, dataset) == [
        ("bad_mail", "invalid_contact", "invalid e-mail", "open"),
        ("bare", "missing", "industry, region, size", "open"),
        ("key_idle", "key_idle", "no activity for 90 days", "open"),
        ("orphan", "owner_inactive", "owner sales2 is inactive", "open"),
        ("twin_a", "duplicate", "same name twinworks", "open"),
        ("twin_b", "duplicate", "same name twinworks", "open"),
    ]
    # fixed customers' findings close on the next run; the others stay open, found once
    with platform.sessions.begin() as session:
        session.execute(update(Customer).where(Customer.id == dataset["bare"])
                        .values(industry="Ports", region="North", size="50-200"))
        session.execute(update(Customer).where(Customer.id == dataset["twin_b"]).values(active=False))
        counts = run_checks(session, NOW + dt.timedelta(days=1), 90)
    assert counts == {"duplicate": 0, "missing": 0, "invalid_contact": 1, "owner_inactive": 1, "key_idle": 1}
    statuses = {(name, check): status for name, check, _detail, status in _findings(platform, dataset)}
    assert statuses[("bare", "missing")] == statuses[("twin_a", "duplicate")] == "fixed"
    assert len(statuses) == 6


def test_the_schedule_queues_one_run_per_interval_and_the_page_shows_the_trend(app, platform, dataset, login,
                                                                                 settle_jobs):
    schedule = QualitySchedule(dt.timedelta(hours=24), 90)
    with platform.sessions.begin() as session:
        assert schedule(session, utcnow()) == 1
    with platform.sessions.begin() as session:
        assert schedule(session, utcnow() + dt.timedelta(hours=1)) == 0  # looked a moment ago
        assert QualitySchedule(dt.timedelta(hours=24), 90)(session, utcnow() + dt.timedelta(hours=2)) == 0
    settle_jobs()
    with platform.sessions() as session:
        run = session.scalar(select(QualityRun))
        assert run.finished_at is not None and run.counts["duplicate"] == 2
        assert session.scalar(select(OutboxJob.status).where(OutboxJob.kind == "quality_check")) == "done"
    info = login("info")
    page = info.get("/quality").get_data(as_text=True)
    assert "Twin Works Ltd" in page and 'data-check="duplicate"' in page and 'id="history"' in page
    assert login("sales").get("/quality").status_code == 403


def test_findings_become_a_task_that_returns_until_the_customers_are_fixed(app, platform, dataset, login,
                                                                           settle_jobs):
    with platform.sessions.begin() as session:
        platform.engine.deploy(session, bpmn_files(["data_quality.bpmn"]), "owner")
        run_checks(session, utcnow(), 90)
        chosen = list(session.scalars(select(QualityFinding.id).where(
            QualityFinding.customer_id.in_([dataset["bare"], dataset["bad_mail"]]))))
    info = login("info")
    assert info.post("/quality/tasks", data={"finding_id": [str(i) for i in chosen]}).status_code == 302
    settle_jobs()
    with platform.sessions() as session:
        task = session.scalar(select(HumanTask).where(HumanTask.status == "ready", HumanTask.task_name == "dq_fix"))
        assert task.role == "information_officer"
        instance_id = task.instance_id
    page = info.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "Bare Co" in page and "invalid e-mail" in page
    # submitted without fixing anything: the batch is checked again and the task comes back
    assert info.api("POST", f"/api/tasks/{task.id}/complete", {"fix_note": "looked"}).status_code == 200
    settle_jobs()
    with platform.sessions() as session:
        again = session.scalar(select(HumanTask).where(HumanTask.status == "ready", HumanTask.task_name == "dq_fix"))
        assert again is not None and again.instance_id == instance_id
    with platform.sessions.begin() as session:
        session.execute(update(Customer).where(Customer.id == dataset["bare"])
                        .values(industry="Ports", region="North", size="50-200"))
        session.execute(update(Customer).where(Customer.id == dataset["bad_mail"]).values(email="ok@mail.example.com"))
    assert info.api("POST", f"/api/tasks/{again.id}/complete", {"fix_note": "fixed"}).status_code == 200
    settle_jobs()
    with platform.sessions() as session:
        assert session.get(ProcessInstance, instance_id).status == "completed"
        findings = session.scalars(select(QualityFinding).where(QualityFinding.id.in_(chosen))).all()
        assert {(f.status, f.instance_id) for f in findings} == {("fixed", instance_id)}
