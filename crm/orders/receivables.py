"""Receivables at any time: open plan lines per customer and currency, aged by days past their due date.

Amounts in different currencies are never added up: a customer owing in two currencies has a row per currency,
and the totals are per currency."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from crm import formatting
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
    currency: str
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
             .options(joinedload(PaymentPlanLine.plan).joinedload(PaymentPlan.customer),
                      joinedload(PaymentPlanLine.plan).joinedload(PaymentPlan.contract))
             .order_by(PaymentPlanLine.due_date, PaymentPlanLine.id))
    if customer_id is not None:
        query = query.where(PaymentPlan.customer_id == customer_id)
    return list(session.scalars(query))


def ageing(session: Session, today: dt.date, customer_id: int | None = None,
           lines: list[PaymentPlanLine] | None = None) -> list[CustomerAgeing]:
    """Open amounts per customer, currency and bucket: the site's currency first, then by currency code, largest
    total first within a currency. ``lines``: the open lines already read (else they are read here)."""
    rows: dict[tuple[int, str], CustomerAgeing] = {}
    for line in open_lines(session, customer_id) if lines is None else lines:
        customer: Customer = line.plan.customer
        currency = line.plan.currency
        row = rows.setdefault((customer.id, currency), CustomerAgeing(customer.id, customer.company, currency))
        row.buckets[bucket_of(line.days_overdue(today))] += line.open_amount
    site = formatting.site_currency()
    return sorted(rows.values(), key=lambda r: (r.currency != site, r.currency, -r.total, r.company))


def totals(rows: list[CustomerAgeing]) -> dict[str, dict[str, Decimal]]:
    """Per currency (in the rows' order): bucket totals over all customers, plus ``total``."""
    result: dict[str, dict[str, Decimal]] = {}
    for row in rows:
        sums = result.setdefault(row.currency, {**dict.fromkeys(BUCKETS, ZERO), "total": ZERO})
        for name in BUCKETS:
            sums[name] += row.buckets[name]
        sums["total"] += row.total
    return result
