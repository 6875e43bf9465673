"""The job recovery delays come from the environment, and nonsense there stops the start."""

import pytest

import config
from app import build_platform


def test_job_delays_are_read_from_the_environment():
    settings = config.from_environment({"CRM_JOB_STALE_SECONDS": "12", "CRM_JOB_HEARTBEAT_SECONDS": "2.5",
                                        "CRM_JOB_REQUEUE_SECONDS": "7", "CRM_PUSH_TIMEOUT_MS": "40",
                                        "CRM_PUSH_BREAKER_FAILURES": "5", "CRM_PUSH_BREAKER_SECONDS": "30"})
    assert (settings.job_stale_seconds, settings.job_heartbeat_seconds, settings.job_requeue_seconds) == (12, 2.5, 7)
    assert (settings.push_timeout_ms, settings.push_breaker_failures, settings.push_breaker_seconds) == (40, 5, 30)
    defaults = config.from_environment({})
    assert (defaults.job_stale_seconds, defaults.job_requeue_seconds) == (15, 10)


@pytest.mark.parametrize("value", ["soon", "0", "-5", "1e9", "nan"])
def test_a_bad_delay_is_refused(value):
    with pytest.raises(ValueError, match="CRM_JOB_STALE_SECONDS"):
        config.from_environment({"CRM_JOB_STALE_SECONDS": value})


def test_the_relay_and_the_web_push_use_them(tmp_path):
    settings = config.Settings(database_url=f"sqlite:///{tmp_path / 'x.sqlite'}", redis_url="redis://127.0.0.1:1/0",
                               job_stale_seconds=12, job_requeue_seconds=7, push_timeout_ms=40,
                               push_breaker_failures=5)
    platform = build_platform(settings)
    assert platform.relay.stale_after.total_seconds() == 12 and platform.relay.requeue_after.total_seconds() == 7
    assert platform.relay.urgent.breaker.fail_max == 5
    assert platform.relay.urgent.target.connection.connection_pool.connection_kwargs["socket_timeout"] == 0.04
    platform.db.dispose()


def test_the_site_time_zone_is_read_and_checked():
    assert config.from_environment({}).timezone == "Asia/Shanghai"
    assert config.from_environment({"CRM_TIMEZONE": "Europe/Berlin"}).timezone == "Europe/Berlin"
    with pytest.raises(config.SettingsError, match="CRM_TIMEZONE"):
        config.from_environment({"CRM_TIMEZONE": "Mars/Olympus"})
