"""The i18n tests change users' language, time zone and profile: put them back after each test; a Chinese site."""

import dataclasses

import pytest

from app import create_app
from tests.conftest import make_settings


@pytest.fixture(autouse=True)
def users_put_back(restore_users):
    """Every test here restores the demo users (tests/conftest.py ``restore_users``)."""


@pytest.fixture
def chinese_site(database_url, queue_name, workers):
    """An app whose site language is Chinese (the demo's setting)."""
    application = create_app(dataclasses.replace(make_settings(database_url, queue_name), locale="zh_CN",
                                                 timezone="Asia/Shanghai"))
    yield application
    application.extensions["crm"].db.dispose()
