"""How the order records' stored statuses, stages and kinds read to people (the stored values are the keys)."""

from __future__ import annotations

from i18n import _, _l, _lp

STATUS_LABELS = {
    "draft": _lp("order status", "Draft"),
    "sent": _lp("order status", "Sent"),
    "accepted": _lp("order status", "Accepted"),
    "rejected": _lp("order status", "Rejected"),
    "superseded": _lp("order status", "Superseded"),
    "in_approval": _lp("order status", "In approval"),
    "active": _lp("order status", "Active"),
    "terminated": _lp("order status", "Terminated"),
    "expired": _lp("order status", "Expired"),
    "cancelled": _lp("order status", "Cancelled"),
    "open": _lp("order status", "Open"),
    "partially_paid": _lp("order status", "Partially paid"),
    "settled": _lp("order status", "Settled"),
    "overdue": _lp("order status", "Overdue"),
}
"""Statuses of quotes, contracts and payment plan lines (in a context of their own: other areas say ``Open``
or ``Active`` of other things)."""
STAGE_LABELS = {
    "bid": _lp("project stage", "Bid"),
    "signed": _lp("project stage", "Signed"),
    "design": _lp("project stage", "Design"),
    "production": _lp("project stage", "Production"),
    "delivery": _lp("project stage", "Delivery"),
    "warranty": _lp("project stage", "Warranty"),
    "closed": _lp("project stage", "Closed"),
}
"""Stages of a project."""
REMINDER_LABELS = {
    "approval_request": _l("Approval request"), "approval_reminder": _l("Approval reminder"),
    "escalation": _l("Escalation"), "payment_due": _l("Payment due"), "payment_overdue": _l("Payment overdue"),
}
"""Kinds of the reminders kept on contracts and plan lines."""


def status_label(status: str) -> str:
    """A quote, contract or plan line status in the reader's language (an unknown one as stored)."""
    return str(STATUS_LABELS.get(status, status))


def stage_label(stage: str) -> str:
    """A project stage in the reader's language."""
    return str(STAGE_LABELS.get(stage, stage))


def reminder_label(kind: str) -> str:
    """A reminder kind in the reader's language."""
    return str(REMINDER_LABELS.get(kind, kind))


def bucket_label(bucket: str) -> str:
    """An ageing bucket of the receivables (``current``, ``1-30`` … ``90+``) as a column heading."""
    if bucket == "current":
        return _("Not yet due")
    if bucket.endswith("+"):
        return _("Over %(days)s days", days=bucket[:-1])
    return _("%(range)s days", range=bucket.replace("-", "–"))
