"""Outside the embedded default the app refuses to start with a guessable SECRET_KEY (issue 11, item 1)."""

import pytest

import config
from app import create_app

PG = "postgresql+psycopg://crm@db.internal/crm"
STRONG = "k" * 32


@pytest.mark.parametrize("env", [
    {"DATABASE_URL": PG},
    {"DATABASE_URL": PG, "SECRET_KEY": ""},
    {"DATABASE_URL": PG, "SECRET_KEY": config.DEFAULT_SECRET_KEY},
    {"DATABASE_URL": PG, "SECRET_KEY": "k" * 31},
    {"REDIS_URL": "redis://redis.internal:6379/0"},
    {"DATABASE_URL": "sqlite:////srv/crm/crm.sqlite"},
])
def test_a_guessable_key_stops_the_start_with_a_message_naming_it(env):
    with pytest.raises(config.SettingsError, match="SECRET_KEY"):
        config.from_environment(env)


def test_the_app_factory_refuses_it_too(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", PG)
    monkeypatch.setenv("SECRET_KEY", config.DEFAULT_SECRET_KEY)
    with pytest.raises(config.SettingsError, match="SECRET_KEY"):
        create_app()


def test_a_long_random_key_is_accepted():
    assert config.from_environment({"DATABASE_URL": PG, "SECRET_KEY": STRONG}).secret_key == STRONG


def test_the_embedded_default_starts_with_the_built_in_key():
    settings = config.from_environment({})
    assert settings.is_embedded and settings.secret_key == config.DEFAULT_SECRET_KEY
