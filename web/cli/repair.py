"""Repair commands: ``flask engine retry | rewind | suspend | resume | terminate | fire-timer | migrate``."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from crm import audit
from engine import admin_actions, migration
from engine.errors import EngineError
from engine.models import ProcessInstance
from engine.runtime import Actor
from services.accounts.directory import user_named
from services.processes import queries

repair_commands = AppGroup("repair", help="Repair commands, added to the engine group.")
_reason = click.option("--reason", required=True, help="Why (written to the instance's history).")
_user = click.option("--user", default="admin", show_default=True, help="Administrator acting.")


def _run(username: str, action, name: str, instance_id: int, reason: str) -> None:
    """Run ``action(session, engine, actor)`` in one transaction with an audit row; report errors."""
    platform = current_app.extensions["crm"]
    with platform.sessions() as session:
        user = user_named(session, username)
        if user is None or not user.has_role("administrator"):
            raise click.ClickException(f"{username!r} is not an administrator")
        try:
            instance = action(session, platform.engine, Actor(user.username, user.role_keys))
            audit.record(session, user.username, f"instance.{name}", f"instance:{instance_id}",
                         {"via": "cli"}, reason)
            session.commit()
        except EngineError as exc:
            raise click.ClickException(str(exc)) from None
        platform.relay.after_commit(session)
        if isinstance(instance, ProcessInstance):
            session.refresh(instance)
            click.echo(f"instance {instance.id}: {instance.status}")


@repair_commands.command("retry")
@click.argument("instance_id", type=int)
@_reason
@_user
def retry_command(instance_id, reason, user):
    """Run the failed task of INSTANCE_ID again."""
    _run(user, lambda s, e, a: admin_actions.retry(s, e, instance_id, a, reason), "retry", instance_id, reason)


@repair_commands.command("rewind")
@click.argument("instance_id", type=int)
@click.argument("task")
@_reason
@_user
def rewind_command(instance_id, task, reason, user):
    """Rewind INSTANCE_ID to its latest completed TASK (a BPMN id or a task UUID) and replay."""
    def action(session, engine, actor):
        instance = queries.instance_by_id(session, instance_id)
        if instance is None:
            raise click.ClickException(f"no instance {instance_id}")
        matches = [t for t in admin_actions.completed_tasks(engine, instance)
                   if task in (str(t.id), t.task_spec.name)]
        if not matches:
            raise click.ClickException(f"no completed task {task!r} in instance {instance_id}")
        return admin_actions.rewind(session, engine, instance_id, str(matches[-1].id), actor, reason)

    _run(user, action, "rewind", instance_id, reason)


@repair_commands.command("suspend")
@click.argument("instance_id", type=int)
@_reason
@_user
def suspend_command(instance_id, reason, user):
    """Suspend INSTANCE_ID."""
    _run(user, lambda s, e, a: admin_actions.set_suspended(s, e, instance_id, True, a, reason), "suspend",
         instance_id, reason)


@repair_commands.command("resume")
@click.argument("instance_id", type=int)
@_reason
@_user
def resume_command(instance_id, reason, user):
    """Resume a suspended INSTANCE_ID."""
    _run(user, lambda s, e, a: admin_actions.set_suspended(s, e, instance_id, False, a, reason), "resume",
         instance_id, reason)


@repair_commands.command("terminate")
@click.argument("instance_id", type=int)
@_reason
@_user
def terminate_command(instance_id, reason, user):
    """Terminate INSTANCE_ID for good."""
    _run(user, lambda s, e, a: admin_actions.terminate(s, e, instance_id, a, reason), "terminate", instance_id,
         reason)


@repair_commands.command("fire-timer")
@click.argument("instance_id", type=int)
@_reason
@_user
def fire_timer_command(instance_id, reason, user):
    """Fire the waiting timers of INSTANCE_ID now."""
    _run(user, lambda s, e, a: admin_actions.fire_timer_now(s, e, instance_id, a, reason), "fire-timer",
         instance_id, reason)


@repair_commands.command("migrate")
@click.argument("instance_id", type=int)
@click.option("--to", "to_version", type=int, default=None, help="Target version (default: the newest).")
@_reason
@_user
def migrate_command(instance_id, to_version, reason, user):
    """Move INSTANCE_ID to a newer version of its process, when that is safe."""
    def action(session, engine, actor):
        instance = queries.instance_by_id(session, instance_id)
        if instance is None:
            raise click.ClickException(f"no instance {instance_id}")
        target = engine.latest_version(session, instance.process_key)
        if to_version is not None:
            target = queries.version_of_process(session, instance.process_key, to_version)
            if target is None:
                raise click.ClickException(f"{instance.process_key} has no version {to_version}")
        return migration.migrate(engine, session, instance_id, target, actor)

    _run(user, action, "migrate", instance_id, reason)


def register(group: click.Group) -> None:
    """Add the repair commands to ``group`` (the ``flask engine`` group)."""
    for command in repair_commands.commands.values():
        group.add_command(command)
