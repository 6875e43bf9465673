"""Periodic sales reports (issue 16 item 1): the figures of a known month, generation at the Shanghai period
boundary, idempotent generation, and the submit → return → resubmit → accept path over the JSON API."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import threading
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update

import config
from app import build_platform
from crm.accounts.users import User
from crm.formatting import money
from crm.reporting.periodic_reports import PeriodicReport
from engine.models import HumanTask, ProcessInstance
from services.reporting.periodic import ReportScheduler, generate
from services.reporting.periodic_figures import period_figures
from services.reporting.periods import Period, containing, last_completed
from tests.conftest import servers_mode
from tests.i18n.pseudo import pseudo_translations, unmarked_text
from tests.orders.driver import value_for
from tests.support.api_driver import LaneDesk, bpmn_files

from .periodic_data import december, utc

SHANGHAI = ZoneInfo("Asia/Shanghai")
ALL_KINDS = ("daily", "weekly", "monthly")
BEFORE_MIDNIGHT = utc(12, 31, 15, 59)   # 23:59 on Dec 31 in Shanghai
AFTER_MIDNIGHT = utc(12, 31, 16, 30)    # 00:30 on Jan 1 in Shanghai


@pytest.fixture
def report_process(platform):
    with platform.sessions.begin() as session:
        platform.engine.deploy(session, bpmn_files(["sales_report.bpmn"]), "owner")


def run_scheduler(platform, now: dt.datetime, kinds=ALL_KINDS, scheduler=None) -> int:
    scheduler = scheduler or ReportScheduler(platform.engine, SHANGHAI, kinds)
    with platform.sessions.begin() as session:
        return scheduler(session, now)


def reports(platform) -> list[tuple[str, str, dt.date, dt.date, str]]:
    with platform.sessions() as session:
        return sorted((r.owner.username, r.kind, r.period_start, r.period_end, r.status)
                      for r in session.scalars(select(PeriodicReport)))


def test_the_period_that_ended_is_the_one_in_shanghai():
    assert [last_completed(k, BEFORE_MIDNIGHT, SHANGHAI) for k in ALL_KINDS] == [
        Period("daily", dt.date(2026, 12, 30), dt.date(2026, 12, 30)),
        Period("weekly", dt.date(2026, 12, 21), dt.date(2026, 12, 27)),
        Period("monthly", dt.date(2026, 11, 1), dt.date(2026, 11, 30))]
    assert [last_completed(k, AFTER_MIDNIGHT, SHANGHAI) for k in ALL_KINDS] == [
        Period("daily", dt.date(2026, 12, 31), dt.date(2026, 12, 31)),
        Period("weekly", dt.date(2026, 12, 21), dt.date(2026, 12, 27)),
        Period("monthly", dt.date(2026, 12, 1), dt.date(2026, 12, 31))]
    # the week of Dec 28 ends on Sunday Jan 3; on Monday 00:00 in Shanghai (Sunday 16:00 UTC) it is over
    assert last_completed("weekly", dt.datetime(2027, 1, 3, 16, 0), SHANGHAI) == Period(
        "weekly", dt.date(2026, 12, 28), dt.date(2027, 1, 3))
    assert containing("monthly", dt.date(2027, 2, 14)) == Period("monthly", dt.date(2027, 2, 1), dt.date(2027, 2, 28))


def test_reports_are_generated_at_the_period_boundary_in_shanghai(platform, report_process):
    scheduler = ReportScheduler(platform.engine, SHANGHAI, ALL_KINDS)
    assert run_scheduler(platform, BEFORE_MIDNIGHT, scheduler=scheduler) == 6  # sales and sales2, three kinds
    before = reports(platform)
    assert {(kind, start) for _, kind, start, _, _ in before} == {
        ("daily", dt.date(2026, 12, 30)), ("weekly", dt.date(2026, 12, 21)), ("monthly", dt.date(2026, 11, 1))}
    # half a minute later the same periods have ended: nothing new
    assert run_scheduler(platform, dt.datetime(2026, 12, 31, 15, 59, 30), scheduler=scheduler) == 0

    assert run_scheduler(platform, AFTER_MIDNIGHT, scheduler=scheduler) == 4  # the day and the month ended
    new = [row for row in reports(platform) if row not in before]
    assert new == [("sales", "daily", dt.date(2026, 12, 31), dt.date(2026, 12, 31), "open"),
                   ("sales", "monthly", dt.date(2026, 12, 1), dt.date(2026, 12, 31), "open"),
                   ("sales2", "daily", dt.date(2026, 12, 31), dt.date(2026, 12, 31), "open"),
                   ("sales2", "monthly", dt.date(2026, 12, 1), dt.date(2026, 12, 31), "open")]
    with platform.sessions() as session:
        for report in session.scalars(select(PeriodicReport)):
            task = session.scalar(select(HumanTask).where(HumanTask.instance_id == report.instance_id,
                                                          HumanTask.status == "ready"))
            assert (task.task_name, task.assignee, task.role) == ("sr_write", report.owner.username, "salesperson")
            assert report.figures["period"]["start"] == report.period_start.isoformat()


def test_daily_reports_can_be_turned_off(platform, report_process):
    assert run_scheduler(platform, AFTER_MIDNIGHT, kinds=("weekly", "monthly")) == 4
    assert {kind for _, kind, _, _, _ in reports(platform)} == {"weekly", "monthly"}


def test_generation_is_idempotent_across_schedulers_and_retries(platform, report_process):
    assert run_scheduler(platform, AFTER_MIDNIGHT) == 6
    assert run_scheduler(platform, AFTER_MIDNIGHT) == 0  # a second scheduler process
    with platform.sessions.begin() as session:
        assert generate(session, platform.engine, Period("daily", dt.date(2026, 12, 31), dt.date(2026, 12, 31)),
                        SHANGHAI) == []  # a retry
    assert len(reports(platform)) == 6
    with platform.sessions() as session:
        assert session.query(ProcessInstance).filter_by(process_key="sales_report").count() == 6


@pytest.mark.skipif(not servers_mode(), reason="parallel transactions need PostgreSQL")
def test_two_schedulers_at_the_same_moment_create_each_report_once(platform, report_process):
    barrier = threading.Barrier(2)
    made: list[int] = []
    failures: list[BaseException] = []

    def scheduler_process():
        scheduler = ReportScheduler(platform.engine, SHANGHAI, ALL_KINDS)
        try:
            with platform.sessions.begin() as session:
                session.execute(select(1))
                barrier.wait()  # both transactions are open before either looks for missing reports
                made.append(scheduler(session, AFTER_MIDNIGHT))
        except BaseException as exc:  # reported below
            failures.append(exc)

    threads = [threading.Thread(target=scheduler_process) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == [] and sum(made) == 6 and len(made) == 2
    assert len(reports(platform)) == 6
    with platform.sessions() as session:
        assert session.query(ProcessInstance).filter_by(process_key="sales_report").count() == 6


def figures_of(platform, kind: str, start: dt.date, now: dt.datetime = AFTER_MIDNIGHT) -> dict:
    with platform.sessions() as session:
        sales = session.scalar(select(User).where(User.username == "sales"))
        return period_figures(session, sales, containing(kind, start), SHANGHAI, now)


def tally(count: int, amount: str) -> dict:
    return {"count": count, "amount": amount}


def by_kind(call=0, visit=0, meeting=0, email=0) -> list[dict]:
    return [{"kind": "call", "label": "Call", "count": call}, {"kind": "visit", "label": "Visit", "count": visit},
            {"kind": "meeting", "label": "Meeting", "count": meeting},
            {"kind": "email", "label": "E-mail", "count": email}]


def test_the_monthly_figures_of_a_known_december(platform):
    with platform.sessions.begin() as session:
        december(session)
    figures = figures_of(platform, "monthly", dt.date(2026, 12, 1))
    assert figures["period"] == {"kind": "monthly", "start": "2026-12-01", "end": "2026-12-31", "label": "2026-12"}
    assert figures["new_customers"] == {"count": 3, "names": ["Alpha Shipping", "Delta Tugs", "Gamma Ferries"]}
    assert figures["activities"]["done"] == 3
    assert figures["activities"]["by_kind"] == by_kind(call=1, meeting=1, email=1)
    assert [(i["day"], i["kind"], i["customer"], i["outcome"]) for i in figures["activities"]["items"]] == [
        ("2026-12-22", "email", "Gamma Ferries", "Sent the brochure"),
        ("2026-12-31", "meeting", "Gamma Ferries", "Agreed a demo"),
        ("2026-12-31", "call", "Alpha Shipping", "Interested in engines")]
    assert figures["visits"] == {"count": 1, "customers": ["Gamma Ferries"]}
    assert figures["receptions"] == {"count": 1, "customers": ["Alpha Shipping"]}
    assert figures["opportunities"] == {"created": tally(2, "350000.50"), "advanced": tally(1, "100000.00"),
                                        "won": tally(1, "250000.50"), "lost": tally(1, "80000.00")}
    assert figures["quotes"] == {"created": tally(2, "27600.00"), "accepted": tally(1, "22600.00")}
    assert figures["contracts"] == {"created": tally(1, "113000.00"), "approved": tally(1, "113000.00")}
    assert figures["plan"] == {"planned": 4, "done": 3, "percent": 75}
    assert figures["overdue"] == {"activities": 1, "tasks": 0}


def test_the_weekly_and_daily_figures_of_the_same_records(platform):
    with platform.sessions.begin() as session:
        december(session)
    week = figures_of(platform, "weekly", dt.date(2026, 12, 21))
    assert week["period"]["label"] == "Week 52 of 2026 (2026-12-21 – 2026-12-27)"
    assert (week["new_customers"], week["activities"]["done"], week["activities"]["by_kind"]) == (
        {"count": 1, "names": ["Delta Tugs"]}, 1, by_kind(email=1))
    assert (week["visits"]["count"], week["receptions"]["count"]) == (1, 0)
    assert week["opportunities"] == {"created": tally(0, "0.00"), "advanced": tally(1, "100000.00"),
                                     "won": tally(0, "0.00"), "lost": tally(0, "0.00")}
    assert week["quotes"] == {"created": tally(1, "5000.00"), "accepted": tally(0, "0.00")}
    assert week["contracts"] == {"created": tally(0, "0.00"), "approved": tally(1, "113000.00")}
    assert (week["plan"], week["overdue"]) == ({"planned": 1, "done": 1, "percent": 100},
                                               {"activities": 0, "tasks": 0})

    day = figures_of(platform, "daily", dt.date(2026, 12, 31))
    assert (day["new_customers"], day["activities"]["by_kind"]) == (
        {"count": 1, "names": ["Alpha Shipping"]}, by_kind(call=1, meeting=1))
    assert (day["visits"]["count"], day["receptions"]) == (0, {"count": 1, "customers": ["Alpha Shipping"]})
    assert day["opportunities"] == {"created": tally(1, "250000.50"), "advanced": tally(0, "0.00"),
                                    "won": tally(1, "250000.50"), "lost": tally(0, "0.00")}
    assert day["quotes"] == {"created": tally(1, "22600.00"), "accepted": tally(1, "22600.00")}
    assert day["contracts"] == {"created": tally(0, "0.00"), "approved": tally(0, "0.00")}
    assert (day["plan"], day["overdue"]) == ({"planned": 3, "done": 2, "percent": 67},
                                             {"activities": 1, "tasks": 0})


def test_an_overdue_report_task_counts_as_an_overdue_task(platform, report_process):
    run_scheduler(platform, AFTER_MIDNIGHT, kinds=("daily",))
    with platform.sessions.begin() as session:
        session.execute(update(HumanTask).values(due_at=utc(12, 30, 0)))
    assert figures_of(platform, "monthly", dt.date(2026, 12, 1))["overdue"] == {"activities": 0, "tasks": 1}


@pytest.fixture
def desk(platform, login, report_process):
    return LaneDesk(platform, login, value_for)


def the_report(platform, kind: str = "monthly", owner: str = "sales") -> PeriodicReport:
    with platform.sessions() as session:
        report = session.scalar(select(PeriodicReport).join(User, User.id == PeriodicReport.owner_id).where(
            PeriodicReport.kind == kind, User.username == owner))
        session.refresh(report, ["reviewer"])
        return report


def test_submit_return_resubmit_accept(platform, desk):
    with platform.sessions.begin() as session:
        december(session)
    run_scheduler(platform, AFTER_MIDNIGHT, kinds=("monthly",))
    report = the_report(platform)
    assert report.figures["opportunities"]["won"] == tally(1, "250000.50")

    write = desk.task(report.instance_id, "sr_write")
    detail = desk.user("sales").get(f"/api/tasks/{write.id}").get_json()
    context = detail["context"]
    assert context["kind"] == "sales_report" and context["title"] == "Monthly report of Sam Sales"
    rows = {(row[0], row[1]): row[2] for row in context["lines"]["rows"]}
    assert rows[("Opportunities", "Won: amount")] == money(Decimal("250000.50"))
    assert rows[("New customers", "Names")] == "Alpha Shipping, Delta Tugs, Gamma Ferries"
    assert rows[("Plan", "Done of planned")] == "75 %"

    desk.do(report.instance_id, "sr_write", summary="Won the ferry refit.", problems="", next_plan="Close engines.")
    assert the_report(platform).status == "submitted"
    review = desk.task(report.instance_id, "sr_review_sd")  # sales reports to salesdir, a sales director
    assert (review.assignee, review.role) == ("salesdir", "sales_director")
    desk.do(report.instance_id, "sr_review_sd", review_decision="return", manager_comment="Add the lost reasons.")
    returned = the_report(platform)
    assert (returned.status, returned.manager_comment, returned.reviewer.username) == (
        "returned", "Add the lost reasons.", "salesdir")

    again = desk.task(report.instance_id, "sr_write")
    initial = desk.user("sales").get(f"/api/tasks/{again.id}").get_json()["initial"]
    assert (initial["manager_comment"], initial["summary"]) == ("Add the lost reasons.", "Won the ferry refit.")
    desk.do(report.instance_id, "sr_write", problems="Deck cranes lost on price.")
    assert (the_report(platform).status, the_report(platform).times_submitted) == ("submitted", 2)
    desk.do(report.instance_id, "sr_review_sd", review_decision="accept", manager_comment="Good.")
    done = the_report(platform)
    assert (done.status, done.problems, done.manager_comment) == ("accepted", "Deck cranes lost on price.", "Good.")
    assert desk.instance(report.instance_id).status == "completed"


def test_without_a_sales_director_manager_the_customer_directors_review(platform, desk):
    with platform.sessions.begin() as session:
        session.execute(update(User).where(User.username == "sales2").values(manager_id=None))
    try:
        run_scheduler(platform, AFTER_MIDNIGHT, kinds=("weekly",))
        report = the_report(platform, "weekly", "sales2")
        desk.do(report.instance_id, "sr_write")
        review = desk.task(report.instance_id, "sr_review_cd")
        assert (review.assignee, review.role) == (None, "customer_director")
        desk.do(report.instance_id, "sr_review_cd", review_decision="accept")
        assert the_report(platform, "weekly", "sales2").reviewer.username == "custdir"
    finally:
        with platform.sessions.begin() as session:
            salesdir = session.scalar(select(User.id).where(User.username == "salesdir"))
            session.execute(update(User).where(User.username == "sales2").values(manager_id=salesdir))


def test_pages_list_show_print_export_and_the_team_side_by_side(platform, desk, login):
    with platform.sessions.begin() as session:
        december(session)
    run_scheduler(platform, AFTER_MIDNIGHT, kinds=("monthly",))
    report = the_report(platform)
    desk.do(report.instance_id, "sr_write", summary="=1+1 won the ferry refit", next_plan="Close engines.")

    sales = login("sales")
    listing = sales.get("/reports/periodic/?kind=monthly").get_data(as_text=True)
    assert f'data-report="{report.id}"' in listing and "Sam Sales" in listing and "Sue Sales" not in listing
    page = sales.get(f"/reports/periodic/{report.id}").get_data(as_text=True)
    assert f'data-figure="Opportunities: Won: amount">{money(Decimal("250000.50"))}<' in page
    assert "=1+1 won the ferry refit" in page and "Interested in engines" in page
    assert login("sales2").get(f"/reports/periodic/{report.id}").status_code == 404

    printed = sales.get(f"/reports/periodic/{report.id}.pdf")
    assert printed.status_code == 200 and printed.mimetype == "application/pdf"
    assert printed.data.startswith(b"%PDF")

    exported = sales.get("/reports/periodic/export.xlsx?kind=monthly")
    sheet = load_workbook(io.BytesIO(exported.data)).active
    header = [cell.value for cell in sheet[1]]
    row = dict(zip(header, [cell.value for cell in sheet[2]], strict=True))
    assert (row["Salesperson"], row["Report"], row["Period from"].date(), row["Status"]) == (
        "Sam Sales", "Monthly", dt.date(2026, 12, 1), "Submitted")
    assert (row["Opportunities: Won: amount"], row["Plan: Done of planned"]) == (250000.5, 75)
    assert sheet.cell(row=2, column=header.index("Summary") + 1).data_type == "s"  # formula-looking text stays text
    assert row["Summary"] == "=1+1 won the ferry refit"

    team = login("salesdir").get("/reports/periodic/team?kind=monthly&day=2026-12-15").get_data(as_text=True)
    assert "Team sales reports: 2026-12" in team
    assert "Not submitted: <strong data-person>Sue Sales</strong>\n" in team  # sales submitted, sales2 has not
    assert login("sales").get("/reports/periodic/team").status_code == 403


def test_the_switches_are_read_from_the_environment_and_wire_the_scheduler(tmp_path):
    assert (config.from_environment({}).periodic_reports, config.from_environment({}).daily_reports) == (True, True)
    settings = config.from_environment({"CRM_DAILY_REPORTS": "off", "CRM_PERIODIC_REPORTS": "yes"})
    assert (settings.periodic_reports, settings.daily_reports) == (True, False)
    with pytest.raises(config.SettingsError, match="CRM_DAILY_REPORTS"):
        config.from_environment({"CRM_DAILY_REPORTS": "sometimes"})
    sqlite = f"sqlite:///{tmp_path / 'wiring.sqlite'}"
    on = build_platform(dataclasses.replace(settings, database_url=sqlite, testing=True))
    [scheduler] = [task for task in on.relay.periodic if isinstance(task, ReportScheduler)]
    assert (scheduler.kinds, scheduler.zone) == (("weekly", "monthly"), SHANGHAI)
    off = build_platform(config.Settings(database_url=sqlite, testing=True, periodic_reports=False))
    assert not [task for task in off.relay.periodic if isinstance(task, ReportScheduler)]


def test_report_pages_have_no_unmarked_text(platform, desk, login):
    with platform.sessions.begin() as session:
        december(session)
    run_scheduler(platform, AFTER_MIDNIGHT, kinds=("monthly",))
    report = the_report(platform)
    desk.do(report.instance_id, "sr_write", summary="Ferry refit won", problems="Cranes lost", next_plan="Engines")
    data = ("中文", "English", "Sam Sales", "Sue Sales", "Sid Sales-Director", "CN¥", "Alpha Shipping", "Delta Tugs",
            "Gamma Ferries", "Other Lines", "Engine offer", "Brochure", "Site meeting", "Interested in engines",
            "Sent the brochure", "Agreed a demo", "Ferry refit won", "Cranes lost", "Engines")
    with pseudo_translations():
        pages = [login("sales").get(f"/reports/periodic/{report.id}"),
                 login("salesdir").get("/reports/periodic/team?kind=monthly&day=2026-12-01")]
    for page in pages:
        assert page.status_code == 200
        assert unmarked_text(page.get_data(as_text=True), data) == []
