"""§7 service analyses over the chosen period: failure causes and the service staff's monthly performance.

Scoped by the owner of the customer served.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from crm.customers.models import Customer
from crm.orders.catalog import Product
from crm.service.engineers import Booking, Engineer
from crm.service.service_desk import ServiceOrder, ServiceRequest
from i18n import _, _l
from services.reporting.bound import ENDS, STARTS, Shape, parameters, shape_of, within
from services.reporting.filters import ReportFilter
from services.reporting.report_types import Report, pivot

NO_PRODUCT = _l("(no product)")
COMPLETED = ("done", "settled")


def _for_customers(query: Select, customer_id, shape: Shape) -> Select:
    return within(query.join(Customer, Customer.id == customer_id), Customer.owner_id, Customer.id, shape)


def _humanize(key: str) -> str:
    return key.replace("_", " ").capitalize()


def request_counts(session: Session, scope: set[int] | None,
                   report_filter: ReportFilter) -> list[tuple[str | None, str, str | None, int]]:
    """(product name, request type, complaint cause, how many) of the service requests registered in the period."""
    return [tuple(row) for row in session.execute(_request_counts_statement(shape_of(scope, report_filter)),
                                                  parameters(scope, report_filter))]


@cache
def _request_counts_statement(shape: Shape) -> Select:
    return _for_customers(
        select(Product.name, ServiceRequest.request_type, ServiceRequest.complaint_cause, func.count())
        .outerjoin(Product, Product.id == ServiceRequest.product_id)
        .where(ServiceRequest.created_at >= STARTS, ServiceRequest.created_at < ENDS)
        .group_by(Product.name, ServiceRequest.request_type, ServiceRequest.complaint_cause),
        ServiceRequest.customer_id, shape)


def failures_by_product(counts: list[tuple[str | None, str, str | None, int]]) -> Report:
    """Service requests of the period per product, stacked by request type (quality tracking); ``counts``:
    :func:`request_counts`."""
    rows = [(product or str(NO_PRODUCT), _humanize(kind), count) for product, kind, _cause, count in counts]
    labels = sorted({label for label, _, _ in rows})
    return Report("failures_by_product", _("Service requests by product and type"), labels, pivot(rows, labels),
                  section="service", stacked=True, note=_("Requests registered in the period."))


def complaint_causes(counts: list[tuple[str | None, str, str | None, int]]) -> Report:
    """Causes recorded when complaints were handled, within the period; ``counts``: :func:`request_counts`."""
    rows = [(_humanize(cause), _("Complaints"), count) for _product, _kind, cause, count in counts if cause]
    labels = sorted({label for label, _, _ in rows})
    return Report("complaint_causes", _("Complaint causes"), labels, pivot(rows, labels), section="service",
                  note=_("Complaints registered in the period, by the cause the agent recorded."))


def _completed_jobs(session: Session, scope: set[int] | None,
                    report_filter: ReportFilter) -> list[tuple[str, str, Decimal]]:
    """(month completed, engineer, labour hours) of each completed service order and engineer booked on it."""
    return [(report_filter.month_of(at), name, hours or Decimal(0)) for _, at, name, hours in session.execute(
        _completed_jobs_statement(shape_of(scope, report_filter)), parameters(scope, report_filter))]


@cache
def _completed_jobs_statement(shape: Shape) -> Select:
    return _for_customers(
        select(ServiceOrder.id, ServiceOrder.completed_at, Engineer.name, ServiceOrder.labour_hours)
        .join(Booking, Booking.order_id == ServiceOrder.id).join(Engineer, Engineer.id == Booking.engineer_id)
        .where(ServiceOrder.status.in_(COMPLETED), ServiceOrder.completed_at >= STARTS,
               ServiceOrder.completed_at < ENDS).distinct(),
        ServiceOrder.customer_id, shape)


def engineer_performance(session: Session, scope: set[int] | None, report_filter: ReportFilter) -> list[Report]:
    """Service orders completed and labour hours recorded, per engineer and month."""
    labels, jobs = report_filter.labels, _completed_jobs(session, scope, report_filter)
    note = _("Completed service orders, by the month the work was recorded and the engineer booked for it.")
    return [
        Report("engineer_jobs", _("Service jobs per engineer"), labels,
               pivot([(month, name, 1) for month, name, _ in jobs], labels), section="service", monthly=True,
               note=note),
        Report("engineer_hours", _("Labour hours per engineer"), labels,
               pivot([(month, name, float(hours)) for month, name, hours in jobs], labels, unit="hours"),
               section="service", monthly=True, note=note),
    ]


def service_reports(session: Session, scope: set[int] | None, report_filter: ReportFilter) -> list[Report]:
    """The §7 analyses: failure causes and monthly performance of service staff."""
    counts = request_counts(session, scope, report_filter)
    return [failures_by_product(counts), complaint_causes(counts), *engineer_performance(session, scope, report_filter)]
