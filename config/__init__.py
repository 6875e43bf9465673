"""Settings, read from the environment once and passed down explicitly."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from i18n import LANGUAGES

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "instance" / "crm.sqlite"
DEFAULT_SECRET_KEY = "dev-only-secret-change-me"
MIN_SECRET_KEY_BYTES = 32


class SettingsError(ValueError):
    """A setting stops the start: the message names the environment variable to fix."""


@dataclass(frozen=True)
class Settings:
    """Everything configurable about one deployment of the CRM.

    ``redis_url`` empty means the embedded default: jobs run in the web process.
    Jobs: a running job's worker writes a heartbeat every ``job_heartbeat_seconds``; one silent for
    ``job_stale_seconds`` is pushed again; a job still ``queued`` after ``job_requeue_seconds`` that the
    queue no longer holds is pushed again. After a commit the web pushes new jobs to Redis with a
    ``push_timeout_ms`` timeout; ``push_breaker_failures`` failures in a row skip that push for
    ``push_breaker_seconds`` (the scheduler pushes them instead).
    ``currency`` (ISO 4217) is the money of amounts without their own; ``locale`` the site's language
    (``zh_CN`` or ``en``; empty: each visitor's browser decides) unless a user chose one, also used for numbers
    and dates (see :mod:`crm.formatting`); ``timezone`` (IANA name) the site's
    time zone unless a user chose one: report months and periods begin at its midnight.
    The data-quality checks (``quality_checks``, ``CRM_QUALITY_CHECKS``) run every ``quality_check_hours``
    (``CRM_QUALITY_CHECK_HOURS``, daily by default); a key customer without an activity for ``quality_idle_days``
    (``CRM_QUALITY_IDLE_DAYS``) is a finding.
    ``periodic_reports`` (``CRM_PERIODIC_REPORTS``) turns on the scheduled generation of the salespeople's
    weekly and monthly reports, ``daily_reports`` (``CRM_DAILY_REPORTS``) also that of their daily ones.
    Every script, condition and expression may use ``script_cpu_seconds`` of CPU time and
    ``script_memory_mb`` of memory (see :mod:`engine.script_pool`).
    ``handler_modules`` names extra modules with a ``register(registry)`` function (site handlers).
    ``metrics_token`` is the bearer token ``/metrics`` asks for (empty: no metrics endpoint, 404);
    ``log_json`` writes log lines as JSON objects, one per line.
    Tracking: the company website's origins (``https://www.example.com``) that may report page visits of
    contacts who followed a tracked link (``tracking_origins``, none: no visits are taken), at most
    ``tracking_visits_per_hour`` per contact.
    ``proxy_hops``: how many reverse proxies in front set ``X-Forwarded-For/-Proto/-Host`` (0: none, the
    headers are ignored); only then are the client's address and HTTPS taken from them.
    Uploads: a user's files not yet sent with a form may take ``upload_quota_mb`` in all; those never sent are
    deleted ``upload_orphan_hours`` after upload.
    Webhooks: a target on a loopback, private or reserved address is refused unless ``webhook_allow_private``
    (an ERP on the intranet; the tests); a hook is paused after ``webhook_pause_after`` failed attempts in a row.
    """

    database_url: str = f"sqlite:///{DEFAULT_SQLITE_PATH}"
    redis_url: str = ""
    secret_key: str = DEFAULT_SECRET_KEY
    queue_name: str = "crm"
    bpmn_dir: Path = PROJECT_ROOT / "bpmn"
    upload_dir: Path = PROJECT_ROOT / "instance" / "uploads"
    max_bpmn_bytes: int = 5 * 1024 * 1024
    upload_quota_mb: int = 50
    upload_orphan_hours: float = 24.0
    session_minutes: int = 480
    login_attempts_per_15min: int = 10
    login_attempts_per_address_15min: int = 50
    job_stale_seconds: float = 15.0
    job_heartbeat_seconds: float = 3.0
    job_requeue_seconds: float = 10.0
    push_timeout_ms: int = 50
    push_breaker_failures: int = 3
    push_breaker_seconds: float = 10.0
    script_cpu_seconds: float = 2.0
    script_memory_mb: int = 256
    smtp_host: str = ""
    sms_gateway_url: str = ""
    handler_modules: tuple[str, ...] = ()
    metrics_token: str = ""
    log_json: bool = False
    currency: str = "CNY"
    locale: str = "zh_CN"
    timezone: str = "Asia/Shanghai"
    periodic_reports: bool = True
    quality_checks: bool = True
    quality_check_hours: float = 24.0
    quality_idle_days: int = 90
    daily_reports: bool = True
    proxy_hops: int = 0
    tracking_origins: tuple[str, ...] = ()
    tracking_visits_per_hour: int = 60
    webhook_allow_private: bool = False
    webhook_pause_after: int = 10
    testing: bool = False

    @property
    def uses_redis(self) -> bool:
        """True when jobs go to rq workers instead of running in process."""
        return bool(self.redis_url)

    @property
    def zone(self) -> ZoneInfo:
        """The site's time zone (``CRM_TIMEZONE``)."""
        return ZoneInfo(self.timezone)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def is_embedded(self) -> bool:
        """The embedded default (``make run``): the bundled SQLite file and jobs in process."""
        return self.database_url == Settings.database_url and not self.uses_redis


def from_environment(env: dict[str, str] | None = None) -> Settings:
    """Build settings from ``DATABASE_URL``, ``REDIS_URL``, ``SECRET_KEY`` and friends."""
    env = dict(os.environ if env is None else env)
    defaults = Settings()
    settings = Settings(
        database_url=env.get("DATABASE_URL", defaults.database_url),
        redis_url=env.get("REDIS_URL", ""),
        secret_key=env.get("SECRET_KEY", defaults.secret_key),
        queue_name=env.get("CRM_QUEUE", defaults.queue_name),
        smtp_host=env.get("SMTP_HOST", ""),
        sms_gateway_url=env.get("SMS_GATEWAY_URL", ""),
        currency=env.get("CRM_CURRENCY", defaults.currency).strip().upper() or defaults.currency,
        locale=_language(env.get("CRM_LOCALE", defaults.locale).strip()),
        timezone=_zone(env, defaults.timezone),
        periodic_reports=_switch(env, "CRM_PERIODIC_REPORTS", defaults.periodic_reports),
        quality_checks=_switch(env, "CRM_QUALITY_CHECKS", defaults.quality_checks),
        quality_check_hours=_positive(env, "CRM_QUALITY_CHECK_HOURS", defaults.quality_check_hours),
        quality_idle_days=int(_positive(env, "CRM_QUALITY_IDLE_DAYS", defaults.quality_idle_days)),
        daily_reports=_switch(env, "CRM_DAILY_REPORTS", defaults.daily_reports),
        handler_modules=tuple(m for m in env.get("CRM_HANDLER_MODULES", "").split(",") if m),
        metrics_token=env.get("CRM_METRICS_TOKEN", "").strip(),
        log_json=_log_format(env) == "json",
        proxy_hops=_count(env, "CRM_PROXY_HOPS"),
        tracking_origins=_origins(env.get("CRM_TRACKING_ORIGINS", "")),
        tracking_visits_per_hour=int(_positive(env, "CRM_TRACKING_VISITS_PER_HOUR", defaults.tracking_visits_per_hour)),
        job_stale_seconds=_positive(env, "CRM_JOB_STALE_SECONDS", defaults.job_stale_seconds),
        job_heartbeat_seconds=_positive(env, "CRM_JOB_HEARTBEAT_SECONDS", defaults.job_heartbeat_seconds),
        job_requeue_seconds=_positive(env, "CRM_JOB_REQUEUE_SECONDS", defaults.job_requeue_seconds),
        push_timeout_ms=int(_positive(env, "CRM_PUSH_TIMEOUT_MS", defaults.push_timeout_ms)),
        push_breaker_failures=int(_positive(env, "CRM_PUSH_BREAKER_FAILURES", defaults.push_breaker_failures)),
        push_breaker_seconds=_positive(env, "CRM_PUSH_BREAKER_SECONDS", defaults.push_breaker_seconds),
        script_cpu_seconds=_positive(env, "CRM_SCRIPT_CPU_SECONDS", defaults.script_cpu_seconds),
        script_memory_mb=_memory_mb(env, "CRM_SCRIPT_MEMORY_MB", defaults.script_memory_mb),
        upload_quota_mb=int(_positive(env, "CRM_UPLOAD_QUOTA_MB", defaults.upload_quota_mb)),
        upload_orphan_hours=_positive(env, "CRM_UPLOAD_ORPHAN_HOURS", defaults.upload_orphan_hours),
        webhook_allow_private=env.get("CRM_WEBHOOK_ALLOW_PRIVATE", "").strip().lower() in ("1", "true", "yes"),
        webhook_pause_after=int(_positive(env, "CRM_WEBHOOK_PAUSE_AFTER", defaults.webhook_pause_after)),
    )
    check_secret_key(settings)
    return settings


def _origins(raw: str) -> tuple[str, ...]:
    """``CRM_TRACKING_ORIGINS``: comma-separated ``scheme://host[:port]`` of the company website."""
    origins = tuple(o.strip().rstrip("/") for o in raw.split(",") if o.strip())
    for origin in origins:
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path or parts.query:
            raise SettingsError(f"CRM_TRACKING_ORIGINS: {origin!r} is not an origin such as https://www.example.com")
    return origins


def _language(name: str) -> str:
    """``CRM_LOCALE``: a language the product has catalogs for, or empty (the browser's)."""
    if name and name not in LANGUAGES:
        raise SettingsError(f"CRM_LOCALE {name!r} is not one of {', '.join(LANGUAGES)} (or empty: the browser's)")
    return name


def check_secret_key(settings: Settings) -> None:
    """Refuse a guessable ``SECRET_KEY`` outside the embedded default and the tests.

    The key signs session cookies, CSRF tokens and API tokens: with the public default (or a short key)
    anyone could forge an administrator's session.
    """
    if settings.is_embedded or settings.testing:
        return
    key = settings.secret_key
    if not key or key == DEFAULT_SECRET_KEY:
        raise SettingsError("SECRET_KEY is not set: outside the embedded default (DATABASE_URL or REDIS_URL "
                            "set) it must be a random secret, e.g. python -c 'import secrets; "
                            "print(secrets.token_urlsafe(48))'")
    if len(key.encode()) < MIN_SECRET_KEY_BYTES:
        raise SettingsError(f"SECRET_KEY is too short: {len(key.encode())} bytes, at least "
                            f"{MIN_SECRET_KEY_BYTES} needed")


def _zone(env: dict[str, str], default: str) -> str:
    """``CRM_TIMEZONE``: an IANA time zone name (``default`` when unset); an unknown name stops the start."""
    name = env.get("CRM_TIMEZONE", "").strip() or default
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(f"CRM_TIMEZONE {name!r} is not a time zone name (e.g. Asia/Shanghai)") from None
    return name


def _switch(env: dict[str, str], name: str, default: bool) -> bool:
    """On/off from ``env[name]``: 1/true/yes/on or 0/false/no/off (``default`` when unset)."""
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name} must be on or off (1/0, true/false, yes/no), not {raw!r}")


def _count(env: dict[str, str], name: str) -> int:
    """A small whole number from ``env[name]`` (0 when unset); anything else stops the start."""
    raw = env.get(name, "").strip() or "0"
    if not raw.isdigit() or int(raw) > 10:
        raise SettingsError(f"{name} must be a whole number from 0 to 10, not {raw!r}")
    return int(raw)


def _positive(env: dict[str, str], name: str, default: float) -> float:
    """A positive number from ``env[name]`` (``default`` when unset); anything else stops the start."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{name} must be a number of seconds/milliseconds, not {raw!r}") from None
    if not 0 < value < 86400 * 7:
        raise ValueError(f"{name} must be positive and below a week, not {raw!r}")
    return value


def _log_format(env: dict[str, str]) -> str:
    """``CRM_LOG_FORMAT``: ``text`` (default) or ``json`` (one JSON object per line)."""
    value = env.get("CRM_LOG_FORMAT", "text").strip().lower() or "text"
    if value not in ("text", "json"):
        raise ValueError(f"CRM_LOG_FORMAT must be 'text' or 'json', not {value!r}")
    return value


def _memory_mb(env: dict[str, str], name: str, default: int) -> int:
    """Megabytes from ``env[name]``: a whole number from 64 (a worker process needs ~20 MB to start)."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not 64 <= int(raw) <= 1024 * 1024:
        raise ValueError(f"{name} must be a whole number of megabytes from 64, not {raw!r}")
    return int(raw)
