"""Command line: ``flask engine ...`` (engine.py, plus the repairs of repair.py) and ``flask crm ...`` (crm.py)."""

from __future__ import annotations

from flask import Flask

from web.cli import crm, engine, repair


def register_cli(app: Flask) -> None:
    """Add the ``engine`` and ``crm`` command groups to ``app``."""
    repair.register(engine.engine_cli)
    app.cli.add_command(engine.engine_cli)
    app.cli.add_command(crm.crm_cli)
