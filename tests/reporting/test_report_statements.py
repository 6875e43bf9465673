"""The reports page in a fixed number of SQL statements (issue 18): one grouped statement per figure (the five
customer breakdowns in one), the closed opportunities read once for the win rate and the sales cycle, the share of
wallet in two statements however many years and customers, the margin's contracts with their lines and products
in one, the filter bar's customer values in one, the viewer's data scope once per request. Counted, not timed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from crm.accounts.access import visible_owner_ids
from crm.accounts.users import User
from crm.customers.models import Customer
from crm.customers.wallet import record_estimate
from services.reporting.filter_choices import filter_choices
from services.reporting.filters import ReportFilter, last_twelve_months
from services.reporting.kpi_board import kpi_board, kpi_by_person_and_team, year_filter
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


def test_the_filter_bar_in_three_statements(platform, dataset):  # noqa: F811
    with platform.sessions() as session, statements(platform) as seen:
        choices = filter_choices(session, None)
    assert len(seen) == 3, "\n".join(seen)
    assert (choices.regions, choices.industries, choices.grades) == (
        ["East", "North"], ["Fishing", "Shipping"], ["key", "ordinary", "prospect"])


def test_the_page_reads_the_scope_once_and_stays_within_its_statements(platform, login, estimates):
    salesdir = login("salesdir")
    assert salesdir.get("/reports/").status_code == 200
    with statements(platform) as seen:
        page = salesdir.get("/reports/")
    assert page.status_code == 200
    assert len([s for s in seen if "RECURSIVE" in s]) == 1, "\n".join(seen)
    assert len(seen) <= 16, "\n".join(seen)  # was 33: 10 for the reports, 3 for the filter bar, the page's own


@pytest.fixture
def kpi_ids(platform):
    with platform.sessions.begin() as session:
        return make_kpi_dataset(session)


def test_the_kpi_page_reads_each_source_once_per_scope(platform, kpi_ids):
    """Per scope (the company, each salesperson, each team): both years of a KPI in one window, the closed
    opportunities once for the win rate and the sales cycle; the targets once per year for every scope."""
    with platform.sessions() as session:
        user = session.scalar(select(User).where(User.username == "custdir"))
        scope, today = visible_owner_ids(session, user), dt.date(2026, 6, 1)
        report_filter = year_filter(last_twelve_months(today, ZONE), 2025)
        with statements(platform) as seen:
            board = kpi_board(session, scope, report_filter, 2025, today, costs=True)
        # sales, marketing cost and campaigns, opportunities, margin, satisfaction, share of wallet for 2025 and
        # 2024 (estimates and our sales each), the targets: 11
        assert len(seen) == 11 and len(board) == 7, "\n".join(seen)
        with statements(platform) as seen:
            rows = kpi_by_person_and_team(session, scope, report_filter, 2025, today, costs=True)
        people_and_teams = len(rows)
        # the targets, the salespeople, the teams, the team's members; per row one statement per source as the
        # company's (no campaigns), our sales skipped for a year without estimates
        assert people_and_teams == 3 and len(seen) == 29, "\n".join(seen)
