"""§7 service analyses over the last twelve months: failure causes and the service staff's monthly performance.

Scoped by the owner of the customer served.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from crm.customers.models import Customer
from crm.orders.catalog import Product
from crm.service.engineers import Booking, Engineer
from crm.service.service_desk import ServiceOrder, ServiceRequest
from services.reporting.report_types import Report, last_months, month_key, pivot, scoped, window_start

NO_PRODUCT = "(no product)"
COMPLETED = ("done", "settled")


def _for_customers(query: Select, customer_id, scope: set[int] | None) -> Select:
    return scoped(query.join(Customer, Customer.id == customer_id), Customer.owner_id, scope)


def _humanize(key: str) -> str:
    return key.replace("_", " ").capitalize()


def failures_by_product(session: Session, scope: set[int] | None, today: dt.date) -> Report:
    """Service requests of the last twelve months per product, stacked by request type (quality tracking)."""
    query = _for_customers(
        select(Product.name, ServiceRequest.request_type).outerjoin(Product, Product.id == ServiceRequest.product_id)
        .where(ServiceRequest.created_at >= window_start(today)), ServiceRequest.customer_id, scope)
    rows = [(product or NO_PRODUCT, _humanize(kind), 1) for product, kind in session.execute(query)]
    labels = sorted({label for label, _, _ in rows})
    return Report("failures_by_product", "Service requests by product and type", labels, pivot(rows, labels),
                  section="service", stacked=True, note="Requests registered in the last twelve months.")


def complaint_causes(session: Session, scope: set[int] | None, today: dt.date) -> Report:
    """Causes recorded when complaints were handled, last twelve months."""
    query = _for_customers(
        select(ServiceRequest.complaint_cause).where(ServiceRequest.complaint_cause != "",
                                                     ServiceRequest.created_at >= window_start(today)),
        ServiceRequest.customer_id, scope)
    rows = [(_humanize(cause), "Complaints", 1) for cause in session.scalars(query)]
    labels = sorted({label for label, _, _ in rows})
    return Report("complaint_causes", "Complaint causes", labels, pivot(rows, labels), section="service",
                  note="Complaints registered in the last twelve months, by the cause the agent recorded.")


def _completed_jobs(session: Session, scope: set[int] | None, today: dt.date) -> list[tuple[str, str, Decimal]]:
    """(month completed, engineer, labour hours) of each completed service order and engineer booked on it."""
    query = _for_customers(
        select(ServiceOrder.id, ServiceOrder.completed_at, Engineer.name, ServiceOrder.labour_hours)
        .join(Booking, Booking.order_id == ServiceOrder.id).join(Engineer, Engineer.id == Booking.engineer_id)
        .where(ServiceOrder.status.in_(COMPLETED), ServiceOrder.completed_at >= window_start(today)).distinct(),
        ServiceOrder.customer_id, scope)
    return [(month_key(at), name, hours or Decimal(0)) for _, at, name, hours in session.execute(query)]


def engineer_performance(session: Session, scope: set[int] | None, today: dt.date) -> list[Report]:
    """Service orders completed and labour hours recorded, per engineer and month."""
    labels, jobs = last_months(today), _completed_jobs(session, scope, today)
    note = "Completed service orders, by the month the work was recorded and the engineer booked for it."
    return [
        Report("engineer_jobs", "Service jobs per engineer", labels,
               pivot([(month, name, 1) for month, name, _ in jobs], labels), section="service", note=note),
        Report("engineer_hours", "Labour hours per engineer", labels,
               pivot([(month, name, float(hours)) for month, name, hours in jobs], labels), section="service",
               note=note),
    ]


def service_reports(session: Session, scope: set[int] | None, today: dt.date) -> list[Report]:
    """The §7 analyses: failure causes and monthly performance of service staff."""
    return [failures_by_product(session, scope, today), complaint_causes(session, scope, today),
            *engineer_performance(session, scope, today)]
