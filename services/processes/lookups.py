"""Reference fields of generated forms: which records of a kind an actor may pick, their labels, and why an id
is refused.

Each kind says which records are *visible* (the actor's data scope, plus records nobody owns) and which of those
are *candidates* (suitable for the field: an active customer, a draft contract, an open payment plan line).
Lookups offer candidates; a submitted id that is not one is refused with a per-field message, so a process never
starts with a reference it cannot use.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sqlalchemy import ColumnElement, Select, or_, select, true
from sqlalchemy.orm import Session

from crm.accounts.users import User
from crm.bounds import LARGEST_ID
from crm.customers.models import Contact, Customer
from crm.orders.contracts import Contract
from crm.orders.payments import PaymentPlan, PaymentPlanLine
from engine.runtime import Actor
from forms import FormDefinition
from i18n import _, _l
from services.processes.scope import OwnerScope, owner_scope

"""Owner ids whose records an actor may reference; None means every record."""
SERVICE_DESK_ROLES = frozenset({"service_agent", "integration"})
"""Roles that serve every customer (a service request may come from anyone) and so may reference every one."""


@dataclasses.dataclass(frozen=True)
class Kind:
    """How to list one kind of record: ``rows`` selects (id, label); ``visible`` and ``candidate`` narrow it."""

    rows: Callable[[], Select]
    label: ColumnElement[str]
    visible: Callable[[OwnerScope], ColumnElement[bool]]
    candidate: ColumnElement[bool]
    unsuitable: str


def _owned_by(column) -> Callable[[OwnerScope], ColumnElement[bool]]:
    """Records owned within the scope, and records nobody owns (as tasks about them go to the whole lane)."""
    return lambda scope: true() if scope is None else or_(column.is_(None), column.in_(scope))


_PLAN_LINE_LABEL = PaymentPlan.title + " · " + PaymentPlanLine.label

_KINDS: dict[str, Kind] = {
    "user": Kind(lambda: select(User.id, User.display_name), User.display_name, lambda scope: true(),
                 User.active.is_(True), _l("This user is no longer active.")),
    "customer": Kind(lambda: select(Customer.id, Customer.company), Customer.company, _owned_by(Customer.owner_id),
                     Customer.active.is_(True), _l("This customer is deactivated.")),
    "contact": Kind(lambda: select(Contact.id, Contact.name).join(Customer, Contact.customer_id == Customer.id),
                    Contact.name, _owned_by(Customer.owner_id), Contact.active.is_(True) & Customer.active.is_(True),
                    _l("This contact (or its customer) is deactivated.")),
    "contract": Kind(lambda: select(Contract.id, Contract.title), Contract.title, _owned_by(Contract.owner_id),
                     Contract.status == "draft", _l("Only a draft contract can be chosen here.")),
    "plan_line": Kind(lambda: select(PaymentPlanLine.id, _PLAN_LINE_LABEL)
                      .join(PaymentPlan, PaymentPlanLine.plan_id == PaymentPlan.id)
                      .join(Customer, PaymentPlan.customer_id == Customer.id),
                      _PLAN_LINE_LABEL, _owned_by(Customer.owner_id),
                      (PaymentPlanLine.status != "settled") & PaymentPlanLine.collection_instance_id.is_(None),
                      _l("This payment plan line is settled or already being collected.")),
}
"""Reference kinds (``forms.REFERENCE_KINDS`` names the same)."""

_MISSING = {"user": _l("No such user."), "customer": _l("No such customer."), "contact": _l("No such contact."),
            "contract": _l("No such contract."), "plan_line": _l("No such payment plan line.")}


def kinds() -> list[str]:
    """Every reference kind a form field may name."""
    return sorted(_KINDS)


def reference_scope(session: Session, actor: Actor) -> OwnerScope:
    """Whose records the actor may reference: their data scope (``visible_owner_ids``), every record for the
    service desk."""
    if actor.roles & SERVICE_DESK_ROLES:
        return None
    return owner_scope(session, actor)


def search(session: Session, scope: OwnerScope, kind: str, text: str = "", limit: int = 20) -> list[tuple[int, str]]:
    """(id, label) pairs of the candidates of ``kind`` within ``scope`` whose label contains ``text``."""
    spec = _KINDS[kind]
    query = spec.rows().where(spec.visible(scope), spec.candidate).order_by(spec.label).limit(limit)
    if text:
        query = query.where(spec.label.ilike(f"%{text}%"))
    return [(row[0], row[1]) for row in session.execute(query)]


def visible_label(session: Session, scope: OwnerScope, kind: str, record_id: int) -> str | None:
    """The label of one record of ``kind`` if it lies within ``scope`` (to show a stored value)."""
    if not 0 < record_id <= LARGEST_ID:
        return None
    spec = _KINDS[kind]
    row = session.execute(spec.rows().where(spec.visible(scope), _id_column(spec) == record_id)).first()
    return row[1] if row else None


def label(session: Session, kind: str, record_id: int) -> str | None:
    """The display label of one record, whoever may see it (process data already shown to the reader)."""
    known = session.info.get(_LABELS)
    if known and isinstance(record_id, int) and (kind, record_id) in known:
        return known[kind, record_id]
    return visible_label(session, None, kind, record_id)


def prefetch_labels(session: Session, references: Iterable[tuple[str, Any]]) -> None:
    """Read the labels of several records, one statement per kind, for :func:`label` to answer in this session
    (a page showing many references); references that are no record id are left to :func:`label`."""
    known = session.info.setdefault(_LABELS, {})
    wanted: dict[str, set[int]] = {}
    for kind, record_id in references:
        if kind in _KINDS and type(record_id) is int and 0 < record_id <= LARGEST_ID \
                and (kind, record_id) not in known:
            wanted.setdefault(kind, set()).add(record_id)
    for kind, ids in wanted.items():
        spec = _KINDS[kind]
        found = {row[0]: row[1] for row in session.execute(spec.rows().where(_id_column(spec).in_(ids)))}
        known.update(((kind, record_id), found.get(record_id)) for record_id in ids)


_LABELS = "reference_labels"
"""``session.info`` key of the labels :func:`prefetch_labels` read, by (kind, id)."""


def problem(session: Session, scope: OwnerScope, kind: str, record_id: int) -> str | None:
    """Why ``record_id`` cannot be chosen for a ``kind`` field (None: it can)."""
    if visible_label(session, scope, kind, record_id) is None:
        return str(_MISSING.get(kind, _l("No such record.")))
    spec = _KINDS[kind]
    if session.execute(spec.rows().where(spec.candidate, _id_column(spec) == record_id)).first() is None:
        return str(spec.unsuitable)
    return None


def contact_problems(session: Session, form: FormDefinition, values: Mapping[str, Any],
                     context: Mapping[str, Any]) -> dict[str, list[str]]:
    """A contact must belong to the form's customer (its customer field, else the process's ``customer_id``)."""
    references = [f for f in form.fields if f.type == "reference" and values.get(f.id) is not None]
    customers = [values[f.id] for f in references if f.reference == "customer"]
    customer_id = customers[0] if customers else context.get("customer_id")
    errors = {}
    for field in references:
        if field.reference == "contact" and not field.readonly and customer_id is not None:
            owner = session.scalar(select(Contact.customer_id).where(Contact.id == values[field.id]))
            if owner != customer_id:
                errors[field.id] = [_("This contact does not belong to the chosen customer.")]
    return errors


def _id_column(spec: Kind):
    return spec.rows().selected_columns[0]
