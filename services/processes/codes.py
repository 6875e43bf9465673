"""What the codes the engine stores read as: a history row's kind, an instance's or task's status."""

from __future__ import annotations

from i18n import _l

EVENT_KINDS = {
    "started": _l("started"), "task_completed": _l("task completed"), "completed": _l("completed"),
    "error": _l("error"), "claimed": _l("claimed"), "unclaimed": _l("unclaimed"), "assigned": _l("assigned"),
    "commented": _l("commented"), "follow_up_set": _l("follow up set"), "rule_overridden": _l("rule overridden"),
    "service_called": _l("service called"), "rewound": _l("rewound"), "retry_requested": _l("retry requested"),
    "retried": _l("retried"), "suspended": _l("suspended"), "resumed": _l("resumed"), "terminated": _l("terminated"),
    "timer_fired": _l("timer fired"), "requeued": _l("requeued"), "job_requeued": _l("job requeued"),
    "data_edited": _l("data edited"), "task_skipped": _l("task skipped"),
    "completed_by_hand": _l("completed by hand"), "message_sent": _l("message sent"), "migrated": _l("migrated"),
}


STATUSES = {
    "running": _l("running"), "waiting": _l("waiting"), "completed": _l("completed"), "error": _l("in error"),
    "suspended": _l("suspended"), "terminated": _l("terminated"), "ready": _l("ready"), "cancelled": _l("cancelled"),
}


def status_label(status: str) -> str:
    """An instance's or task's status code in the current language, lower case (it reads inside a sentence)."""
    label = STATUSES.get(status)
    return str(label) if label is not None else status.replace("_", " ")


def event_label(kind: str) -> str:
    """The history row kind ``kind`` in the current language (an unknown kind reads as itself)."""
    label = EVENT_KINDS.get(kind)
    return str(label) if label is not None else kind.replace("_", " ")
