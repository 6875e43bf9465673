"""Task context of the service process: the request and, once prepared, its service order."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from crm import formatting as fmt
from crm.service.labels import label
from crm.service.service_desk import ServiceOrder, ServiceRequest
from i18n import _
from services.context_views import context_view, missing


def service_order(session: Session, data: Mapping[str, Any]) -> dict:
    """Site, address, contact, the problem, planned and booked hours, items and bookings."""
    order = session.get(ServiceOrder, data.get("order_id") or 0)
    request = order.request if order else session.get(ServiceRequest, data.get("request_id") or 0)
    if request is None:
        return missing("service_order", _("service request"))
    customer = request.customer
    contact = next((c for c in customer.contacts if c.is_main and c.active),
                   next((c for c in customer.contacts if c.active), None))
    kind = " · ".join((request.number or f"#{request.id}", label("request_type", request.request_type),
                       label("urgency", request.urgency)))
    facts: list[tuple[str, Any]] = [
        (_("Customer"), customer.company), (_("Site address"), customer.address),
        (_("Contact"), f"{contact.name} · {contact.mobile or contact.phone}" if contact else customer.phone),
        (_("Request"), kind),
        (_("Problem"), request.description), (_("Product"), request.product.name if request.product else None)]
    links = [(_("Service request"), f"/service/requests/{request.id}"), (_("Customer"), f"/customers/{customer.id}")]
    if order is None:
        return context_view("service_order", _("Service request %(number)s", number=request.number or request.id),
                            facts, links=links)
    facts += [
        (_("Service order"), order.number), (_("Status"), label("order_status", order.status)),
        (_("Free service"), order.free_service), (_("Skill"), label("skill", order.required_skill)),
        (_("Planned hours"), fmt.hours(order.planned_hours)),
        (_("Scheduled start"), fmt.datetime(order.scheduled_start)), (_("Fee quote"), fmt.money(order.fee_quote)),
        (_("Booked"), _("; ").join(f"{b.engineer.name} {fmt.datetime(b.starts_at)}–{fmt.clock(b.ends_at)}"
                                   for b in order.bookings) or None),
        (_("Labour hours"), fmt.hours(order.labour_hours) if order.labour_hours is not None else None)]
    return context_view(
        "service_order", _("Service order %(number)s", number=order.number or order.id), facts,
        lines=((_("Item"), _("Quantity"), _("Unit price")),
               [(item.description, fmt.number(item.quantity), fmt.money(item.unit_price)) for item in order.items]),
        links=links)
