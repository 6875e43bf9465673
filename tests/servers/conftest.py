"""Tests that only make sense against real PostgreSQL + Redis (the second pass of ``make test``)."""

import pytest

from tests.conftest import servers_mode


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/servers/" in str(item.fspath) and not servers_mode():
            item.add_marker(pytest.mark.skip(reason="needs CRM_TEST_BACKEND=servers (pass 2 of make test)"))
