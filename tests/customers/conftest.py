"""Fixtures of the customer tests: those of the sales tests (the relationship flowchart shares their lanes)."""

from tests.sales.conftest import make_customer, sales_processes, team  # noqa: F401
