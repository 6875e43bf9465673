"""The web layer: thin blueprints over the services, plus login, CSRF and error pages."""

from __future__ import annotations

from flask import Flask

from . import admin_instances, admin_users, api, auth, errors, files, notifications, processes, tasks, worklist

# isort: split
from . import modeler, process_versions  # process authoring

# isort: split
from . import contracts, engineers, payments, projects, quotes, service  # orders and service

# isort: split
from . import customers, opportunities, plans, reports  # sales
from .context import inject_navigation
from .db import close_session
from .extensions import csrf, login_manager
from .json_provider import CrmJSONProvider


def init_web(app: Flask) -> None:
    """Register extensions, blueprints, error handlers and template context on ``app``."""
    app.json = CrmJSONProvider(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    for blueprint in (auth.bp, api.bp, worklist.bp, tasks.bp, processes.bp, admin_users.bp, admin_instances.bp,
                      notifications.bp, files.bp, modeler.bp, process_versions.bp,
                      quotes.bp, contracts.bp, projects.bp, payments.bp, service.bp, engineers.bp,
                      customers.bp, opportunities.bp, plans.bp, reports.bp):
        app.register_blueprint(blueprint)
    csrf.exempt(api.bp)
    errors.register(app)
    app.context_processor(inject_navigation)
    app.teardown_appcontext(close_session)
