"""Composition root: ``create_app`` wires settings, database, engine, handlers, jobs and the web."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import Flask
from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker
from werkzeug.middleware.proxy_fix import ProxyFix

import config
import handlers
from config.logs import configure_logging
from crm import formatting, pdf_fonts, sealing
from crm.accounts.access import assignable_username
from crm.accounts.signin import forget_old_attempts
from crm.database import make_engine, make_sessions
from crm.idempotency import forget_expired_keys
from crm.integrations.webhooks import DELIVER_KIND as WEBHOOK_KIND
from engine.jobs import Dispatcher, InProcessDispatcher, JobRunner
from engine.periodic import Every
from engine.relay import Relay
from engine.rq_dispatch import BestEffortPush, RqDispatcher
from engine.runtime import ProcessEngine
from engine.sandbox import ScriptLimits
from engine.services import HandlerRegistry
from i18n import zones
from services.imports.catalog import JOB_KINDS as IMPORT_JOBS
from services.integrations import webhook_events
from services.integrations.webhook_sender import WebhookSender
from services.notifications.channels import configured_transports
from services.notifications.notifier import DELIVER_KIND, Notifier
from services.notifications.task_alerts import LANE_RIDER, TaskAlerts
from services.processes.deploy_checks import platform_checks
from services.processes.form_catalog import FormCatalog
from services.processes.interop_checks import interop_check
from services.processes.tasks import keep_new_rows
from services.processes.uploads import OrphanCleanup
from services.quality.runs import JOB_KINDS as QUALITY_JOBS
from services.quality.runs import QualitySchedule
from services.reporting.periodic import ReportScheduler, report_kinds

HOUSEKEEPING = dt.timedelta(minutes=10)
"""How often the scheduler deletes expired idempotency keys (kept 24 h) and failed sign-ins (kept a day): rows that
expire by the day need no look every second."""


@dataclass
class Platform:
    """Everything a request or a job needs, built once per process."""

    settings: config.Settings
    db: Engine
    sessions: sessionmaker
    registry: HandlerRegistry
    engine: ProcessEngine
    runner: JobRunner
    dispatcher: Dispatcher
    relay: Relay
    forms: FormCatalog
    alerts: TaskAlerts


def build_platform(settings: config.Settings) -> Platform:
    """Create the engine, job machinery and handler registry for ``settings``."""
    formatting.configure(settings.currency, settings.locale or "en")
    sealing.configure(settings.secret_key)
    zones.configure(settings.timezone)
    db = make_engine(settings.database_url)
    sessions = make_sessions(db)
    notifier = Notifier(configured_transports(settings), settings.locale)
    alerts = TaskAlerts(notifier)
    registry = HandlerRegistry(services={"settings": settings, "notifier": notifier})
    handlers.register_all(registry, settings.handler_modules)
    forms = FormCatalog()
    script_limits = ScriptLimits(settings.script_cpu_seconds, settings.script_memory_mb)
    engine = ProcessEngine(
        registry, max_bpmn_bytes=settings.max_bpmn_bytes,
        deploy_checks=[*platform_checks(registry, script_limits), interop_check()],
        task_listeners=[alerts.task_ready, webhook_events.task_created, keep_new_rows],
        step_listeners=[webhook_events.step_written],
        assignee_resolver=assignable_username, script_limits=script_limits,
        riders=[webhook_events.HOOKS_RIDER, LANE_RIDER],
    )
    stale_after = dt.timedelta(seconds=settings.job_stale_seconds)
    sender = WebhookSender(settings.webhook_allow_private, settings.webhook_pause_after)
    runner = JobRunner(sessions, engine, kinds={DELIVER_KIND: notifier.deliver, WEBHOOK_KIND: sender.deliver,
                                                **IMPORT_JOBS, **QUALITY_JOBS},
                       # SQLite lets one writer in at a time: a side thread's heartbeat would only wait
                       heartbeat=0 if settings.is_sqlite else settings.job_heartbeat_seconds)
    dispatcher, urgent = _dispatchers(settings, runner)
    periodic = [alerts.remind_due, Every(HOUSEKEEPING, forget_expired_keys), Every(HOUSEKEEPING, forget_old_attempts),
                OrphanCleanup(settings.upload_dir, dt.timedelta(hours=settings.upload_orphan_hours))]
    if settings.periodic_reports:
        periodic.append(ReportScheduler(engine, settings.zone, report_kinds(settings.daily_reports)))
    if settings.quality_checks:
        periodic.append(QualitySchedule(dt.timedelta(hours=settings.quality_check_hours), settings.quality_idle_days))
    relay = Relay(sessions, dispatcher, stale_after, dt.timedelta(seconds=settings.job_requeue_seconds),
                  urgent=urgent, periodic=periodic)
    return Platform(settings, db, sessions, registry, engine, runner, dispatcher, relay, forms, alerts)


def _dispatchers(settings: config.Settings, runner: JobRunner) -> tuple[Dispatcher, Dispatcher]:
    """The relay's dispatcher and the one used right after a commit (short timeout, circuit breaker)."""
    if not settings.uses_redis:
        in_process = InProcessDispatcher(runner)
        return in_process, in_process
    fast = RqDispatcher(settings.redis_url, settings.queue_name, timeout=settings.push_timeout_ms / 1000)
    return (RqDispatcher(settings.redis_url, settings.queue_name),
            BestEffortPush(fast, settings.push_breaker_failures, settings.push_breaker_seconds))


def create_app(settings: config.Settings | None = None) -> Flask:
    """The Flask application factory."""
    settings = settings or config.from_environment()
    if not settings.testing:
        configure_logging(json_lines=settings.log_json)
    from web.application import CrmFlask  # web imports this module: imported here, as init_web below

    app = CrmFlask(__name__, template_folder="web/templates", static_folder="web/static")
    app.config.update(
        SECRET_KEY=settings.secret_key,
        TESTING=settings.testing,
        MAX_CONTENT_LENGTH=settings.max_bpmn_bytes + 1024 * 1024,
        PERMANENT_SESSION_LIFETIME=dt.timedelta(minutes=settings.session_minutes),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        WTF_CSRF_TIME_LIMIT=None,
    )
    if settings.proxy_hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.proxy_hops, x_proto=settings.proxy_hops,
                                x_host=settings.proxy_hops, x_port=settings.proxy_hops)
    platform = build_platform(settings)
    app.extensions["crm"] = platform
    if not settings.testing and not pdf_fonts.cjk_families():
        app.logger.warning("no Chinese font installed: PDFs show Chinese as boxes (apt-get install fonts-noto-cjk)")

    from web import init_web
    from web.cli import register_cli

    init_web(app)
    register_cli(app)
    return app


_worker_platform: Platform | None = None


def run_outbox_job(job_id: int) -> str:
    """rq entry point: run one outbox job with this worker process's platform."""
    global _worker_platform
    if _worker_platform is None:
        settings = config.from_environment()
        configure_logging(json_lines=settings.log_json)
        _worker_platform = build_platform(settings)
    return _worker_platform.runner.run(job_id)
