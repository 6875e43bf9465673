"""Receivables at any time: open plan lines per customer, aged by days past their due date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from crm.customers.models import Customer
from crm.money import ZERO
from crm.orders.payments import PaymentPlan, PaymentPlanLine

BUCKETS = ("current", "1-30", "31-60", "61-90", "90+")
"""Not yet due, then days overdue."""


def bucket_of(days_overdue: int) -> str:
    """The ageing bucket of an open amount ``days_overdue`` days past due."""
    if days_overdue <= 0:
        return "current"
    for upper, name in ((30, "1-30"), (60, "31-60"), (90, "61-90")):
        if days_overdue <= upper:
            return name
    return "90+"


@dataclass
class CustomerAgeing:
    customer_id: int
    company: str
    buckets: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(BUCKETS, ZERO))

    @property
    def total(self) -> Decimal:
        return sum(self.buckets.values(), ZERO)

    @property
    def overdue(self) -> Decimal:
        return self.total - self.buckets["current"]


def open_lines(session: Session, customer_id: int | None = None) -> list[PaymentPlanLine]:
    """Unsettled plan lines, earliest due first."""
    query = (select(PaymentPlanLine).join(PaymentPlanLine.plan).where(PaymentPlanLine.status != "settled")
             .options(joinedload(PaymentPlanLine.plan).joinedload(PaymentPlan.customer))
             .order_by(PaymentPlanLine.due_date, PaymentPlanLine.id))
    if customer_id is not None:
        query = query.where(PaymentPlan.customer_id == customer_id)
    return list(session.scalars(query))


def ageing(session: Session, today: dt.date, customer_id: int | None = None) -> list[CustomerAgeing]:
    """Open amounts per customer and bucket, largest total first."""
    rows: dict[int, CustomerAgeing] = {}
    for line in open_lines(session, customer_id):
        customer: Customer = line.plan.customer
        row = rows.setdefault(customer.id, CustomerAgeing(customer.id, customer.company))
        row.buckets[bucket_of(line.days_overdue(today))] += line.open_amount
    return sorted(rows.values(), key=lambda r: (-r.total, r.company))


def totals(rows: list[CustomerAgeing]) -> dict[str, Decimal]:
    """Bucket totals over all customers (plus ``total``)."""
    result = {name: sum((r.buckets[name] for r in rows), ZERO) for name in BUCKETS}
    result["total"] = sum(result.values(), ZERO)
    return result
