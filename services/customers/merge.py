"""Merging a duplicate customer into the one that survives: every record that names the duplicate — contacts,
opportunities, activities, quotes, contracts, projects, payments, service requests, process instances and their
tasks, behaviour, history — moves to the survivor; the duplicate is deactivated and points at the survivor."""

from __future__ import annotations

from sqlalchemy import Table, update
from sqlalchemy.orm import Session

from crm.base import CrmBase
from crm.customers.history import record_event
from crm.customers.models import Customer
from engine.models import EngineBase

FILLED_FROM_DUPLICATE = ("registry_number", "industry", "size", "region", "source", "phone", "email", "website",
                         "address")
"""Attributes the survivor takes from the duplicate where its own are empty."""


def _tables_naming_customers() -> list[Table]:
    """Every table with a ``customer_id`` column (new tables are included without a change here)."""
    tables = [*CrmBase.metadata.sorted_tables, *EngineBase.metadata.sorted_tables]
    return [table for table in tables if "customer_id" in table.c]


def merge_customers(session: Session, survivor: Customer, duplicate: Customer, by: str) -> dict[str, int]:
    """Move everything of ``duplicate`` to ``survivor``; returns how many rows moved per table.

    Process instances keep their data variables as they were started (their ``customer_id`` column, which the
    worklist, scope and timeline read, moves).
    """
    if survivor.id == duplicate.id:
        raise ValueError("choose two different customers")
    if duplicate.merged_into_id is not None or survivor.merged_into_id is not None:
        raise ValueError("one of them was already merged; merge into the customer that survived")
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
    summary = f"{duplicate.company} (#{duplicate.id}) merged into {survivor.company} (#{survivor.id}): " + (
        ", ".join(f"{n} {t.replace('_', ' ')}" for t, n in sorted(moved.items())) or "nothing to move")
    record_event(session, survivor.id, "merged", by, summary)
    record_event(session, duplicate.id, "merged", by, summary)
    session.flush()
    return moved

