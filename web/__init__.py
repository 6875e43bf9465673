"""The web layer: thin blueprints over the services, plus login, CSRF and error pages."""

from __future__ import annotations

from flask import Flask

from crm import formatting
from web import errors, idempotency, lists, operations, request_checks, request_ids, search, security_headers
from web.accounts import auth
from web.accounts import own as own_account
from web.accounts import users as admin_users
from web.admin import instances as admin_instances
from web.admin import webhooks as admin_webhooks
from web.api import routes as api
from web.api.records import routes as api_records  # also adds the records' routes to api.bp
from web.campaigns import pages as campaigns
from web.customers import merge as customer_merge
from web.customers import pages as customers
from web.customers import records as customer_records
from web.customers import wallet as customer_wallet
from web.imports import wizard as imports
from web.notifications import pages as notifications
from web.orders import contracts, payments, product_costs, projects, quotes
from web.processes import files, modeler, tasks, worklist
from web.processes import library as processes
from web.processes import versions as process_versions
from web.quality import pages as quality
from web.reporting import kpi
from web.reporting import pages as reports
from web.reporting import periodic as periodic_reports
from web.sales import opportunities, plans
from web.service import engineers
from web.service import requests as service
from web.tracking import pages as tracking_pages
from web.tracking import public as tracking

from .context import inject_navigation
from .db import close_session
from .extensions import csrf, login_manager
from .i18n import init_i18n
from .json_provider import CrmJSONProvider


def init_web(app: Flask) -> None:
    """Register extensions, blueprints, error handlers and template context on ``app``."""
    app.json = CrmJSONProvider(app)
    settings = app.extensions["crm"].settings
    init_i18n(app, settings.locale, settings.timezone)
    request_ids.register(app)
    request_checks.register(app)  # before the CSRF check, which reads the form too
    imports.register(app)  # the import upload's own size limit, before anything reads its body
    csrf.init_app(app)
    login_manager.init_app(app)
    request_checks.bounded_ids(app)
    for blueprint in (auth.bp, api.bp, worklist.bp, tasks.bp, processes.bp, admin_users.bp, admin_instances.bp,
                      notifications.bp, files.bp, modeler.bp, process_versions.bp,
                      quotes.bp, contracts.bp, product_costs.bp, projects.bp, payments.bp, service.bp, engineers.bp,
                      customers.bp, customer_records.bp, customer_wallet.bp, customer_merge.bp, own_account.bp,
                      opportunities.bp, plans.bp, reports.bp, kpi.bp, periodic_reports.bp, campaigns.bp, search.bp,
                      lists.bp, imports.bp, quality.bp, tracking.bp, tracking_pages.bp, admin_webhooks.bp):
        app.register_blueprint(blueprint)
    csrf.exempt(api.bp)
    csrf.exempt(tracking.bp)  # mail clients and the company website: signed tokens instead
    operations.register(app)
    security_headers.register(app)
    auth.register(app)
    app.before_request(api_records.forbid_integration_users_elsewhere)  # after auth: the bearer's user is known
    errors.register(app)
    app.jinja_env.filters.update(formatting.JINJA_FILTERS)
    app.jinja_env.globals["format_defaults"] = formatting.defaults
    app.jinja_env.globals["idempotency_key"] = idempotency.new_key
    app.context_processor(inject_navigation)
    app.teardown_appcontext(close_session)
