"""How the sales records' statuses and stages are shown to people (the stored values are the keys)."""

from __future__ import annotations

from i18n import _, _l

STATUS_LABELS = {
    "open": _l("open"), "won": _l("won"), "lost": _l("lost"),
    "planning": _l("planning"), "applied": _l("applied for"), "approved": _l("approved"), "rejected": _l("rejected"),
    "cancelled": _l("cancelled"), "visited": _l("visited"), "held": _l("held"), "reported": _l("reported"),
    "closed": _l("closed"), "registered": _l("registered"), "no_bid": _l("no bid"), "preparing": _l("preparing"),
    "submitted": _l("submitted"), "withdrawn": _l("withdrawn"), "planned": _l("planned"), "done": _l("done"),
}
"""Statuses of opportunities, visits, receptions, tenders and activities."""
NOTE_LABELS = {"created": _l("created"), "edited": _l("edited")}
"""The notes the code itself writes on an opportunity's stage history (people write the others)."""


def status_label(status: str) -> str:
    """A status in the reader's language (an unknown one as stored)."""
    return str(STATUS_LABELS.get(status, status))


def note_label(note: str) -> str:
    """A stage-history note: the code's own (\"created\", a status) in the reader's language, people's as written."""
    return str(NOTE_LABELS.get(note) or STATUS_LABELS.get(note) or note)


def stage_label(number: int) -> str:
    """\"stage 3\" in the reader's language."""
    return _("stage %(number)s", number=number)
