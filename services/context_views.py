"""The shape of a task's context panel: a record's key facts, its line items and links, as plain strings.

Built by one small module per record kind (``services/<area>/task_context.py``) and shown read-only
beside the task's form; the JSON API returns the same dict under the task.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from crm import formatting
from i18n import _

MAX_TEXT = 600
"""Longer free text is cut (the record's own page has all of it)."""


def text(value: Any) -> str:
    """A value for the panel: dates and numbers through :mod:`crm.formatting`, long text cut."""
    if value is None or value == "":
        return formatting.EMPTY
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    shown = str(value)
    return shown if len(shown) <= MAX_TEXT else shown[:MAX_TEXT - 1] + "…"


def context_view(kind: str, title: str, facts: Iterable[tuple[str, Any]], *,
                 lines: tuple[Sequence[str], Iterable[Sequence[Any]]] | None = None,
                 links: Iterable[tuple[str, str]] = ()) -> dict:
    """The panel as JSON-ready data: ``facts`` are (label, value) pairs, ``lines`` (columns, rows)."""
    view: dict[str, Any] = {
        "kind": kind, "title": text(title),
        "facts": [{"label": label, "value": text(value)} for label, value in facts],
        "lines": None,
        "links": [{"label": label, "href": href} for label, href in links],
    }
    if lines is not None:
        columns, rows = lines
        view["lines"] = {"columns": list(columns), "rows": [[text(cell) for cell in row] for row in rows]}
    return view


def missing(kind: str, what: str) -> dict:
    """The panel when the record is not there (yet): the task's data still shows in the earlier steps.
    ``what`` names the record, translated (``_("customer")``)."""
    return context_view(kind, _("No %(what)s recorded yet", what=what), [])
