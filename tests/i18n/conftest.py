"""The i18n tests change users' language, time zone and profile: put them back after each test."""

import pytest


@pytest.fixture(autouse=True)
def users_put_back(restore_users):
    """Every test here restores the demo users (tests/conftest.py ``restore_users``)."""
