"""How the sales records' statuses and stages are shown to people (the stored values are the keys)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from crm import formatting
from crm.accounts.users import User
from i18n import _, _l, _lp, force_locale, zones

STATUS_LABELS = {
    "open": _lp("sales status", "open"), "won": _lp("sales status", "won"), "lost": _lp("sales status", "lost"),
    "planning": _lp("sales status", "planning"), "applied": _lp("sales status", "applied for"),
    "approved": _lp("sales status", "approved"), "rejected": _lp("sales status", "rejected"),
    "cancelled": _lp("sales status", "cancelled"), "visited": _lp("sales status", "visited"),
    "held": _lp("sales status", "held"), "reported": _lp("sales status", "reported"),
    "closed": _lp("sales status", "closed"), "registered": _lp("sales status", "registered"),
    "no_bid": _lp("sales status", "no bid"), "preparing": _lp("sales status", "preparing"),
    "submitted": _lp("sales status", "submitted"), "withdrawn": _lp("sales status", "withdrawn"),
    "planned": _lp("sales status", "planned"), "done": _lp("sales status", "done"),
    "paid": _lp("sales status", "paid"),
}
"""Statuses of opportunities, visits, receptions, tenders, activities and expense claims (in their own context:
another area's ``open`` or ``held`` means something else)."""
NOTE_LABELS = {"created": _l("created"), "edited": _l("edited"), "no bid": _l("no bid")}
"""The notes the code itself writes on an opportunity's stage history (people write the others)."""
BOND_LABELS = {"none": _lp("bid bond", "none"), "paid": _lp("bid bond", "paid"),
               "recovered": _lp("bid bond", "recovered")}
"""Where a tender's bid bond is."""


def status_label(status: str) -> str:
    """A status in the reader's language (an unknown one as stored)."""
    return str(STATUS_LABELS.get(status, status))


def bond_label(status: str) -> str:
    """A bid bond's status in the reader's language."""
    return str(BOND_LABELS.get(status, status))


def note_label(note: str) -> str:
    """A stage-history note: the code's own (\"created\", a status) in the reader's language, people's as written."""
    return str(NOTE_LABELS.get(note) or STATUS_LABELS.get(note) or note)


def stage_label(number: int) -> str:
    """\"stage 3\" in the reader's language."""
    return _("stage %(number)s", number=number)


@contextmanager
def written_for(user: User | None) -> Iterator[None]:
    """Texts written inside the block (a reminder or follow-up on someone's plan) are in ``user``'s language and
    time zone: their own, else the site's."""
    if user is None:
        yield
        return
    with zones.force_zone(user.timezone), force_locale(user.language or formatting.defaults().locale):
        yield
