"""Status and money steps shared by visits, receptions and tenders, found by kind and id."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session

from crm.sales.labels import status_label
from crm.sales.tenders import TENDER_STATUSES, Tender
from crm.sales.visits import RECEPTION_STATUSES, VISIT_STATUSES, Reception, Visit
from i18n import _, _l

RECORD_KINDS: dict[str, tuple[type, tuple[str, ...]]] = {
    "visit": (Visit, VISIT_STATUSES),
    "reception": (Reception, RECEPTION_STATUSES),
    "tender": (Tender, TENDER_STATUSES),
}
KIND_LABELS = {"visit": _l("visit"), "reception": _l("reception"), "tender": _l("tender")}


def get_record(session: Session, kind: str, record_id: int):
    """A visit, reception or tender by id; LookupError if there is none."""
    model, _statuses = RECORD_KINDS[kind]
    record = session.get(model, record_id)
    if record is None:
        raise LookupError(_("There is no %(kind)s %(id)s.", kind=KIND_LABELS[kind], id=record_id))
    return record


def set_status(session: Session, kind: str, record_id: int, status: str):
    """Move a record to one of its kind's statuses."""
    _model, statuses = RECORD_KINDS[kind]
    if status not in statuses:
        raise ValueError(_("%(status)s is not a status of a %(kind)s.", status=status_label(status),
                           kind=KIND_LABELS[kind]))
    record = get_record(session, kind, record_id)
    record.status = status
    session.flush()
    return record


def record_advance(session: Session, kind: str, record_id: int, amount: Decimal):
    """Finance paid an advance (visit, reception) or bid bond (tender)."""
    record = get_record(session, kind, record_id)
    if amount < 0:
        raise ValueError(_("An advance cannot be negative."))
    if kind == "tender":
        record.bid_bond, record.bond_status = amount, "paid"
    else:
        record.advance_paid = amount
    session.flush()
    return record
