"""Handing findings to the information officer: one "check and fix customer data" process (bpmn/data_quality.bpmn)
per batch of customers; its service task checks the batch again and the task comes back while problems remain."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.base import utcnow
from crm.customers.models import Customer
from crm.quality.models import QualityFinding
from engine.runtime import Actor, ProcessEngine

from .runs import mark_handed_over, open_counts, run_checks

PROCESS_KEY = "data_quality"
BATCH = 20
"""Customers per task."""
LISTED = 300


def open_findings(session: Session, check: str | None = None, limit: int = LISTED
                  ) -> list[tuple[QualityFinding, str]]:
    """Open findings (with the customer's name), oldest first; only one ``check`` if given."""
    query = (select(QualityFinding, Customer.company).join(Customer, Customer.id == QualityFinding.customer_id)
             .where(QualityFinding.status == "open").order_by(QualityFinding.customer_id, QualityFinding.check)
             .limit(limit))
    if check:
        query = query.where(QualityFinding.check == check)
    return [(finding, company) for finding, company in session.execute(query)]


def hand_over(session: Session, engine: ProcessEngine, finding_ids: list[int], actor: Actor) -> list[int]:
    """Start one process per batch of :data:`BATCH` customers for the open findings not yet handed over (each
    customer's other open findings go along); returns the new instances' ids."""
    customers = list(dict.fromkeys(session.scalars(
        select(QualityFinding.customer_id).where(QualityFinding.id.in_(finding_ids), QualityFinding.status == "open",
                                                 QualityFinding.instance_id.is_(None))
        .order_by(QualityFinding.customer_id))))
    started = []
    for start in range(0, len(customers), BATCH):
        batch = customers[start:start + BATCH]
        ids = list(session.scalars(select(QualityFinding.id).where(
            QualityFinding.customer_id.in_(batch), QualityFinding.status == "open",
            QualityFinding.instance_id.is_(None))))
        instance = engine.start(session, PROCESS_KEY, {"customer_ids": batch, "finding_ids": ids,
                                                       "remaining": len(ids)}, actor)
        mark_handed_over(session, ids, instance.id)
        started.append(instance.id)
    return started


def recheck(session: Session, customer_ids: list[int], idle_days: int) -> int:
    """Check the batch's customers again (closing what is fixed); how many problems remain."""
    return sum(run_checks(session, utcnow(), idle_days, set(customer_ids)).values())


def batch_findings(session: Session, customer_ids: list[int]) -> list[tuple[QualityFinding, str]]:
    """The batch's findings, open first, with the customers' names."""
    return [(f, company) for f, company in session.execute(
        select(QualityFinding, Customer.company).join(Customer, Customer.id == QualityFinding.customer_id)
        .where(QualityFinding.customer_id.in_(customer_ids))
        .order_by(QualityFinding.status.desc(), QualityFinding.customer_id, QualityFinding.check))]


__all__ = ["PROCESS_KEY", "batch_findings", "hand_over", "open_counts", "open_findings", "recheck"]
