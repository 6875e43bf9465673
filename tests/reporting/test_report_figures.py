"""The reports page's tables are written in Python (each distinct figure formatted once per process and
language), and its statements are built once per shape and run with each viewer's values."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from crm.accounts.users import User
from services.reporting.filters import last_twelve_months
from services.reporting.report_types import Report, Series
from services.reporting.reports import build_reports
from tests.reporting.test_reports import TODAY, ZONE, dataset  # noqa: F401  (dataset: a fixture)
from web.reporting.figures import figure_tables, figure_text


def test_a_table_row_per_label_with_a_cell_per_series(app):
    reports = [
        Report("sales", "Sales", ["2026-01", "<b>"], [Series("Sam", [1234.5, None], unit="money"),
                                                       Series("Deals", [3, 1000])]),
        Report("jobs", "Jobs", ["2026-01"], []),
    ]
    with app.test_request_context():
        tables = figure_tables(reports)
    assert tables["sales"] == (
        '\n              <tr><th scope="row">2026-01</th><td class="text-end">1,234.50</td>'
        '<td class="text-end">3</td></tr>\n            '
        '\n              <tr><th scope="row">&lt;b&gt;</th><td class="text-end">—</td>'
        '<td class="text-end">1,000</td></tr>\n            ')
    assert tables["jobs"] == '\n              <tr><th scope="row">2026-01</th></tr>\n            '


def test_a_remembered_figure_is_the_language_s_own():
    assert figure_text(1234.5, "money", "en") == "1,234.50"
    assert figure_text(1234.5, "money", "de") == "1.234,50"
    assert figure_text(12.345, "percent", "de") == "12,3 %"
    assert (figure_text(2.25, "decimal", "en"), figure_text(2.25, "number", "en")) == ("2.3", "2.25")


def _industries(platform, username: str, **attributes) -> dict[str, list]:
    with platform.sessions() as session:
        user = session.scalar(select(User).where(User.username == username))
        report_filter = last_twelve_months(TODAY, ZONE)
        report_filter = replace(report_filter, **attributes)
        reports = {r.key: r for r in build_reports(session, {user.id}, report_filter)}
    industry = reports["customers_by_industry"]
    return {"labels": industry.labels, **{s.label: s.data for s in industry.series}}


def test_a_statement_built_for_one_viewer_runs_with_the_next_viewers_values(platform, dataset):  # noqa: F811
    """sales and sales2 are the same shape (a scoped viewer, no attribute chosen): one statement, their own
    customers each; choosing a region is another shape, with its value a parameter too."""
    assert _industries(platform, "sales") == {"labels": ["Fishing", "Shipping"], "Customers": [1, 1],
                                              "Contracted amount": [50000.0, 100000.0]}
    assert _industries(platform, "sales2") == {"labels": ["Shipping"], "Customers": [1],
                                               "Contracted amount": [70000.0]}
    assert _industries(platform, "sales", region="North")["labels"] == ["Fishing"]
    assert _industries(platform, "sales", region="East")["labels"] == ["Shipping"]
