"""Command line: ``flask engine deploy|start|list|show|tick|scheduler|worker`` (repairs: web/cli/repair.py)."""

from __future__ import annotations

import json
import logging
import threading
import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from engine.errors import EngineError
from engine.runtime import Actor, current_data
from services.accounts.directory import user_named
from services.processes import queries

engine_cli = AppGroup("engine", help="Deploy processes and operate the engine.")


def _platform():
    return current_app.extensions["crm"]


def _actor(session, username: str) -> Actor:
    user = user_named(session, username)
    if user is None:
        raise click.ClickException(f"no user {username!r}")
    return Actor(user.username, user.role_keys)


def deploy_directory(platform, directory: Path, user: str) -> list:
    """Deploy every .bpmn/.dmn file of ``directory`` in one bundle; returns the results."""
    files = {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.suffix in (".bpmn", ".dmn")}
    with platform.sessions.begin() as session:
        return [(r.version.process_key, r.version.version, r.created)
                for r in platform.engine.deploy(session, files, user)]


@engine_cli.command("deploy")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--user", default="system", help="Recorded as the deployer.")
def deploy_command(paths, user):
    """Deploy BPMN/DMN files or directories (default: the bpmn/ directory)."""
    platform = _platform()
    files: dict[str, bytes] = {}
    for path in paths or (platform.settings.bpmn_dir,):
        items = sorted(path.iterdir()) if path.is_dir() else [path]
        files.update({p.name: p.read_bytes() for p in items if p.suffix in (".bpmn", ".dmn")})
    try:
        with platform.sessions.begin() as session:
            for result in platform.engine.deploy(session, files, user):
                state = "new version" if result.created else "unchanged"
                click.echo(f"{result.version.process_key}: v{result.version.version} ({state})")
    except EngineError as exc:
        raise click.ClickException(str(exc)) from None


@engine_cli.command("start")
@click.argument("process_key")
@click.option("--data", default="{}", help="Start data as JSON.")
@click.option("--user", default="admin")
def start_command(process_key, data, user):
    """Start an instance of PROCESS_KEY."""
    platform = _platform()
    try:
        with platform.sessions() as session:
            instance = platform.engine.start(session, process_key, json.loads(data), _actor(session, user))
            session.commit()
            platform.relay.after_commit(session)
            click.echo(f"instance {instance.id}: {instance.status}")
    except EngineError as exc:
        raise click.ClickException(str(exc)) from None


@engine_cli.command("list")
@click.option("--status", default=None)
@click.option("--limit", default=50)
def list_command(status, limit):
    """List instances, newest first."""
    with _platform().sessions() as session:
        for i in queries.recent_instances(session, status, limit):
            click.echo(f"{i.id:>6}  {i.process_key:<28} v{i.version.version:<3} {i.status:<10} "
                       f"{i.updated_at:%Y-%m-%d %H:%M}")


@engine_cli.command("show")
@click.argument("instance_id", type=int)
def show_command(instance_id):
    """Show one instance: status, open tasks, data."""
    platform = _platform()
    with platform.sessions() as session:
        instance = queries.instance_by_id(session, instance_id)
        if instance is None:
            raise click.ClickException(f"no instance {instance_id}")
        click.echo(f"#{instance.id} {instance.process_key} v{instance.version.version} {instance.status}")
        if instance.error_message:
            click.echo(f"error in {instance.error_task}: {instance.error_message}")
        for row in queries.tasks_of_instance(session, instance_id):
            click.echo(f"  task {row.task_name:<24} {row.status:<10} lane={row.lane} assignee={row.assignee or '-'}")
        data = current_data(platform.engine.restore(instance))
        click.echo(json.dumps(data, default=str, indent=2, ensure_ascii=False))


@engine_cli.command("tick")
def tick_command():
    """Fire due timers and run pending jobs once."""
    click.echo(f"{_platform().relay.tick()} job(s) dispatched")


@engine_cli.command("scheduler")
@click.option("--interval", default=1.0, help="Seconds between ticks.")
def scheduler_command(interval):
    """Loop forever: fire due timers, relay pending and stale jobs (safe to run several)."""
    run_ticker(_platform(), interval)


def run_ticker(platform, interval: float, stop: threading.Event | None = None) -> None:
    """Call ``relay.tick`` every ``interval`` seconds until ``stop`` is set."""
    log = logging.getLogger("crm.scheduler")
    stop = stop or threading.Event()
    while not stop.is_set():
        try:
            platform.relay.tick()
        except Exception:  # keep ticking: the next tick retries whatever failed
            log.exception("scheduler tick failed")
        stop.wait(interval)


@engine_cli.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker_command(burst):
    """Run an rq worker for the platform's queue (production mode); it outlives Redis outages."""
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError
    from rq import SimpleWorker

    platform = _platform()
    if not platform.settings.uses_redis:
        raise click.ClickException("REDIS_URL is not set: the embedded default runs jobs in process")
    log = logging.getLogger("crm.worker")
    while True:
        try:
            worker = SimpleWorker([platform.dispatcher.queue], connection=platform.dispatcher.connection)
            worker.max_connection_wait_time = 5  # reconnect within seconds when Redis comes back
            worker.work(burst=burst, with_scheduler=False)
            return
        except (RedisConnectionError, RedisTimeoutError) as exc:  # rq gives up in some code paths; we don't
            log.warning("Redis unavailable (%s); starting the worker again in 2 s", exc)
            time.sleep(2)
