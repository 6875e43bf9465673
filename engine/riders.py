"""Reads that ride along an engine step's write, so a listener's per-transaction question costs no statement.

The listeners told about a step (webhooks, new-task notices) each asked the database something once per
transaction: are any webhooks active, does the new task's lane have members? Asked on their own, those were a
statement and a round trip each, several per instance. A :class:`Rider` is such a question as a labelled column;
the engine returns it from the step's last write (``RETURNING``), in the same snapshot, and hands the answer to
the listener's ``received`` before any listener runs. The engine knows nothing of the tables a rider reads: the
composition root passes riders in.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session

from .models import HumanTask


def _no_params(rows: Sequence[HumanTask]) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Rider:
    """A question asked in the step's write: ``column`` (a labelled scalar subquery), its bound parameters from
    the task rows the step made READY (``params``), and who is told the answer (``received(session, answer,
    rows)``, before the task listeners hear of those rows)."""

    column: ColumnElement
    received: Callable[[Session, Any, Sequence[HumanTask]], None]
    params: Callable[[Sequence[HumanTask]], dict[str, Any]] = _no_params
