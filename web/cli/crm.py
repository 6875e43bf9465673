"""Command line: ``flask crm init-db | demo | serve | cleanup-uploads``."""

from __future__ import annotations

import datetime as dt
import threading

import click
from flask import current_app
from flask.cli import AppGroup
from werkzeug.serving import run_simple

from crm.base import utcnow
from i18n import LANGUAGES
from web.cli.engine import run_ticker

crm_cli = AppGroup("crm", help="Database, users and demo data.")


def _platform():
    return current_app.extensions["crm"]


@crm_cli.command("init-db")
def init_db_command():
    """Apply the Alembic migrations."""
    from services.schema import upgrade

    upgrade(_platform().settings.database_url)
    click.echo("database is up to date")


@crm_cli.command("demo")
@click.option("--language", type=click.Choice(sorted(LANGUAGES)), default=None,
              help="Names and texts of the demo records (default: the site's CRM_LOCALE).")
def demo_command(language):
    """Load demo users, processes and data (embedded default)."""
    from demo import load_demo

    platform = _platform()
    for line in load_demo(platform, language):
        click.echo(line)


@crm_cli.command("serve")
@click.option("--port", default=5000)
@click.option("--host", default="127.0.0.1")
def serve_command(port, host):
    """Serve the app with an in-process timer/job ticker (embedded default)."""
    platform = _platform()
    if not platform.settings.uses_redis:
        threading.Thread(target=run_ticker, args=(platform, 1.0), daemon=True).start()
    click.echo(f"Serving on http://{host}:{port} (embedded default: jobs and timers run in this process)")
    run_simple(host, port, current_app._get_current_object(), threaded=True)


@crm_cli.command("cleanup-uploads")
@click.option("--hours", type=float, default=None, help="Age in hours (default CRM_UPLOAD_ORPHAN_HOURS).")
def cleanup_uploads_command(hours):
    """Delete uploads never attached to a submitted form (the scheduler also does it every 10 minutes)."""
    from services.processes.uploads import remove_orphans

    platform = _platform()
    age = dt.timedelta(hours=platform.settings.upload_orphan_hours if hours is None else hours)
    total = 0
    with platform.sessions.begin() as session:
        while removed := remove_orphans(session, platform.settings.upload_dir, utcnow() - age):
            total += removed
    click.echo(f"{total} unattached upload(s) removed")
