"""The reports page in a fixed number of SQL statements (issue 18): one grouped statement per figure (the five
customer breakdowns in one), the closed opportunities read once for the win rate and the sales cycle, the share of
wallet in two statements however many years and customers, the margin's contracts with their lines and products
in one, the filter bar's customer values in one, the viewer's data scope once per request. Counted, not timed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from crm.accounts.access import create_user, visible_owner_ids
from crm.accounts.users import Team, User
from crm.customers.models import Customer
from crm.customers.wallet import record_estimate
from services.reporting.filter_choices import filter_choices
from services.reporting.filters import ReportFilter, last_twelve_months
from services.reporting.kpi_board import kpi_board, kpi_page, year_filter
from services.reporting.reports import build_reports
from tests.reporting.kpi_dataset import make_kpi_dataset
from tests.reporting.test_reports import THIS, TODAY, ZONE, dataset  # noqa: F401  (dataset: a fixture)
from tests.support.statements import statements as counted


def statements(platform):
    """The statements sent inside the block, without SQLite's explicit transaction starts."""
    return counted(platform, without_begin=True)


@pytest.fixture
def estimates(platform, dataset):  # noqa: F811
    """Estimates of both customers of sales for this year and the last (two years: still two statements)."""
    with platform.sessions.begin() as session:
        for customer in session.scalars(select(Customer).where(Customer.company.in_(("Blue Whale", "Red Snapper")))):
            for year in (THIS.year - 1, THIS.year):
                record_estimate(session, customer, year, Decimal(500000), "trade association", "info")


def _counted(platform, username: str, report_filter: ReportFilter, **options) -> tuple[list[str], dict]:
    with platform.sessions() as session:
        user = session.scalar(select(User).where(User.username == username))
        scope = visible_owner_ids(session, user)
        with statements(platform) as seen:
            reports = {r.key: r for r in build_reports(session, scope, report_filter, **options)}
    return seen, reports


@pytest.mark.parametrize(("username", "options", "expected"), [
    ("sales", {}, 9),  # breakdowns 1, wallet 2, sales, opportunities, follow-ups, expense claims, service 2
    ("salesdir", {"costs": True}, 10),  # + the margin (contracts, lines and products in one)
    ("custdir", {"costs": True}, 11),  # + campaigns: everyone's figures
])
def test_every_report_in_a_fixed_number_of_statements(platform, estimates, username, options, expected):
    seen, reports = _counted(platform, username, last_twelve_months(TODAY, ZONE), **options)
    assert len(seen) == expected, "\n".join(seen)
    assert reports["wallet_by_grade"].labels  # the estimates were read, and our sales to those customers
    assert sum(reports["failures_by_product"].series[0].data) > 0 and reports["complaint_causes"].labels


def test_the_filter_bar_in_one_statement(platform, dataset):  # noqa: F811
    with platform.sessions() as session, statements(platform) as seen:
        choices = filter_choices(session, None)
    assert len(seen) == 1, "\n".join(seen)
    assert (choices.regions, choices.industries, choices.grades) == (
        ["East", "North"], ["Fishing", "Shipping"], ["key", "ordinary", "prospect"])
    assert [name for _id, name in choices.teams] == ["Sales"]
    assert "Sam Sales" in [name for _id, name in choices.salespeople]


def test_the_filter_bar_names_only_what_is_in_scope(platform, dataset):  # noqa: F811
    with platform.sessions() as session:
        choices = filter_choices(session, {dataset["sales2"].id})
    assert ([name for _id, name in choices.salespeople], choices.regions, choices.industries, choices.grades) == (
        [dataset["sales2"].display_name], ["East"], ["Shipping"], ["ordinary"])


def test_the_page_reads_the_scope_once_and_stays_within_its_statements(platform, login, estimates):
    salesdir = login("salesdir")
    assert salesdir.get("/reports/").status_code == 200
    with statements(platform) as seen:
        page = salesdir.get("/reports/")
    assert page.status_code == 200
    assert len([s for s in seen if "RECURSIVE" in s]) == 1, "\n".join(seen)
    assert len(seen) == 13, "\n".join(seen)  # was 33, then 15: 10 for the reports, 1 for the filter bar, 2 the page


@pytest.fixture
def kpi_ids(platform):
    with platform.sessions.begin() as session:
        return make_kpi_dataset(session)


def _kpi_statements(platform, username: str) -> tuple[list[str], list[str], object]:
    with platform.sessions() as session:
        user = session.scalar(select(User).where(User.username == username))
        scope, today = visible_owner_ids(session, user), dt.date(2026, 6, 1)
        report_filter = year_filter(last_twelve_months(today, ZONE), 2025)
        with statements(platform) as board_seen:
            board = kpi_board(session, scope, report_filter, 2025, today, costs=True)
        assert len(board) == 7
        with statements(platform) as page_seen:
            page = kpi_page(session, scope, report_filter, 2025, today, costs=True)
    return board_seen, page_seen, page


def test_the_kpi_page_reads_each_source_once_for_every_scope(platform, kpi_ids):
    """Each source read once over both years (the year shown and its baseline year) for the company, every
    salesperson and every team; the targets once for every scope."""
    board_seen, page_seen, page = _kpi_statements(platform, "custdir")
    # contracts, expense claims and campaigns, opportunities, follow-ups, the margin's contracts, the estimates
    # of both years and our sales to those customers, the targets: 9 (was 11)
    assert len(board_seen) == 9, "\n".join(board_seen)
    # the same sources and targets, the salespeople, the teams and their members: 12 (was 11 + 29 for 3 rows)
    assert [(row.kind, row.name) for row in page.rows] == [
        ("salesperson", "Sam Sales"), ("salesperson", "Sue Sales"), ("team", "Sales")]
    assert len(page_seen) == 12, "\n".join(page_seen)


def test_the_kpi_page_s_statements_do_not_grow_with_its_rows(platform, kpi_ids):
    _board, before, page = _kpi_statements(platform, "custdir")
    with platform.sessions.begin() as session:
        sales2 = session.scalar(select(User).where(User.username == "sales2"))
        their_team = sales2.team_id
        east = Team(name="East")
        create_user(session, "sales3", "demo", "Sid Sales", ["salesperson"], team=east)
        sales2.team = east
    try:
        _board, after, bigger = _kpi_statements(platform, "custdir")
    finally:  # users and teams live for the whole run: later tests expect the demo's
        with platform.sessions.begin() as session:
            session.scalar(select(User).where(User.username == "sales2")).team_id = their_team
            session.delete(session.scalar(select(User).where(User.username == "sales3")))
            session.delete(session.scalar(select(Team).where(Team.name == "East")))
    assert (len(page.rows), len(bigger.rows)) == (3, 5)
    assert len(after) == len(before) == 12, "\n".join(after)
