"""Merging a duplicate customer into the one that survives: every record that names the duplicate — contacts,
opportunities, activities, quotes, contracts, projects, payments, service requests, process instances and their
tasks, behaviour, history — moves to the survivor; the duplicate is deactivated and points at the survivor."""

from __future__ import annotations

from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session

from crm.base import CrmBase
from crm.customers.history import record_event
from crm.customers.models import Customer
from engine import admin_actions
from engine.models import EngineBase, ProcessInstance
from engine.runtime import Actor, ProcessEngine
from engine.state import current_data
from i18n import _

OPEN_STATUSES = ("running", "waiting", "error", "suspended")
"""Instances whose data still matters: a finished one keeps the customer it finished with, in its history."""

FILLED_FROM_DUPLICATE = ("registry_number", "industry", "size", "region", "source", "phone", "email", "website",
                         "address")
"""Attributes the survivor takes from the duplicate where its own are empty."""


def _tables_naming_customers() -> list[Table]:
    """Every table with a ``customer_id`` column (new tables are included without a change here)."""
    tables = [*CrmBase.metadata.sorted_tables, *EngineBase.metadata.sorted_tables]
    return [table for table in tables if "customer_id" in table.c]


def merge_customers(session: Session, survivor: Customer, duplicate: Customer, by: str) -> dict[str, int]:
    """Move everything of ``duplicate`` to ``survivor``; returns how many rows moved per table.

    Process instances move by their ``customer_id`` column (which the worklist, scope and timeline read); their
    data variable is rewritten by :func:`repoint_running_instances`.
    """
    if survivor.id == duplicate.id:
        raise ValueError(_("choose two different customers"))
    if duplicate.merged_into_id is not None or survivor.merged_into_id is not None:
        raise ValueError(_("one of them was already merged; merge into the customer that survived"))
    moved: dict[str, int] = {}
    own_mains = {c.id for c in survivor.contacts if c.is_main}
    for table in _tables_naming_customers():
        count = session.execute(update(table).where(table.c.customer_id == duplicate.id)
                                .values(customer_id=survivor.id)).rowcount
        if count:
            moved[table.name] = count
    for name in FILLED_FROM_DUPLICATE:
        if not getattr(survivor, name) and getattr(duplicate, name):
            setattr(survivor, name, getattr(duplicate, name))
    duplicate.active, duplicate.merged_into_id, duplicate.updated_by = False, survivor.id, by
    survivor.updated_by = by
    session.flush()
    session.expire(survivor, ["contacts"])
    for contact in survivor.contacts:  # the survivor keeps its own main contact
        if own_mains and contact.is_main and contact.id not in own_mains:
            contact.is_main = False
    summary = _("%(duplicate)s (#%(duplicate_id)s) merged into %(survivor)s (#%(survivor_id)s): %(moved)s",
                duplicate=duplicate.company, duplicate_id=duplicate.id, survivor=survivor.company,
                survivor_id=survivor.id,
                moved=", ".join(f"{n} {t}" for t, n in sorted(moved.items())) or _("nothing to move"))
    record_event(session, survivor.id, "merged", by, summary)
    record_event(session, duplicate.id, "merged", by, summary)
    session.flush()
    return moved



def repoint_running_instances(session: Session, engine: ProcessEngine, survivor: Customer, duplicate: Customer,
                              actor: Actor) -> list[int]:
    """Running instances of the survivor whose process data still names the duplicate get the survivor's id in
    their ``customer_id`` variable (an admin data edit: the change and its reason are in each history), so their
    next steps, forms and handlers work on the surviving customer. Returns the instances changed."""
    candidates = session.scalars(select(ProcessInstance.id).where(
        ProcessInstance.customer_id == survivor.id, ProcessInstance.status.in_(OPEN_STATUSES))).all()
    changed = []
    reason = f"customer #{duplicate.id} merged into #{survivor.id}"
    for instance_id in candidates:
        instance = session.get(ProcessInstance, instance_id)
        if current_data(engine.restore(instance)).get("customer_id") == duplicate.id:
            admin_actions.edit_data(session, engine, instance_id, {"customer_id": survivor.id}, actor, reason)
            changed.append(instance_id)
    return changed
