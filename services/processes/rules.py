"""Cross-field rules of a task's form (``rule`` properties), checked on the server for pages and the API alike.

Each rule's expression runs in the engine's sandbox over the task data with the submitted values on
top, plus ``today`` (a date) and ``now`` (a datetime). A false result, or an expression that cannot be
evaluated with these values, refuses the submission with the rule's message by the fields it reads.
A rule marked ``override: role`` lets a member of that role submit anyway by giving a reason
(``override_reason``); the override is written to the instance history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from engine import history
from engine.errors import TaskDataInvalid
from engine.runtime import Actor
from engine.sandbox import SandboxedEnvironment
from forms import FormDefinition, Rule
from i18n import _, zones

OVERRIDE_FIELD = "override_reason"
"""The submitted key (HTML input and JSON) carrying the reason for overriding rules."""
MAX_REASON = 1000
_sandbox = SandboxedEnvironment()


def broken_rules(rules: Sequence[Rule], data: Mapping[str, Any], values: Mapping[str, Any],
                 today: dt.date | None = None) -> list[Rule]:
    """The rules that do not hold for ``values`` over ``data``. ``now`` is naive UTC like the date-times in the
    data; ``today`` is the site's date (:func:`i18n.zones.site_today`)."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    context = {**data, **values}
    helpers = {"today": today or zones.site_today(), "now": now}
    broken = []
    for rule in rules:
        try:
            holds = bool(_sandbox.evaluate(rule.expression, context, helpers))
        except Exception:  # a missing or mistyped value: the rule cannot be shown to hold
            holds = False
        if not holds:
            broken.append(rule)
    return broken


def check_rules(session: Session, rules: Sequence[Rule], form: FormDefinition | None, data: Mapping[str, Any],
                values: Mapping[str, Any], raw: Mapping[str, Any], actor: Actor,
                instance_id: int, task_title: str) -> None:
    """Refuse (:class:`TaskDataInvalid`, messages by field) unless every rule holds or is overridden with a reason."""
    broken = broken_rules(rules, data, values)
    if not broken:
        return
    reason = str(raw.get(OVERRIDE_FIELD) or "").strip()[:MAX_REASON]
    may_override = all(r.override_role and (r.override_role in actor.roles or actor.is_admin) for r in broken)
    if reason and may_override:
        for rule in broken:
            history.record(session, instance_id, actor.username, "rule_overridden",
                           f"{task_title}: “{rule.message}” overridden — {reason}")
        return
    editable = {f.id for f in form.fields if not f.readonly} if form else set()
    errors: dict[str, list[str]] = {}
    for rule in broken:
        message = rule.message
        if rule.override_role and (rule.override_role in actor.roles or actor.is_admin):
            message = _("%(rule)s (to go ahead anyway, give a reason for the override)", rule=message)
        shown_at = [name for name in rule.fields if name in editable] or ["__all__"]
        for name in shown_at[:2]:
            errors.setdefault(name, []).append(message)
    raise TaskDataInvalid(errors)
