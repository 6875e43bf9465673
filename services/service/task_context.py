"""Task context of the service process: the request and, once prepared, its service order."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from crm import formatting as fmt
from crm.service.service_desk import ServiceOrder, ServiceRequest
from services.context_views import context_view, missing


def service_order(session: Session, data: Mapping[str, Any]) -> dict:
    """Site, address, contact, the problem, planned and booked hours, items and bookings."""
    order = session.get(ServiceOrder, data.get("order_id") or 0)
    request = order.request if order else session.get(ServiceRequest, data.get("request_id") or 0)
    if request is None:
        return missing("service_order", "service request")
    customer = request.customer
    contact = next((c for c in customer.contacts if c.is_main and c.active),
                   next((c for c in customer.contacts if c.active), None))
    facts: list[tuple[str, Any]] = [
        ("Customer", customer.company), ("Site address", customer.address),
        ("Contact", f"{contact.name} · {contact.mobile or contact.phone}" if contact else customer.phone),
        ("Request", f"{request.number or '#' + str(request.id)} · {request.request_type} · {request.urgency}"),
        ("Problem", request.description), ("Product", request.product.name if request.product else None)]
    links = [("Service request", f"/service/requests/{request.id}"), ("Customer", f"/customers/{customer.id}")]
    if order is None:
        return context_view("service_order", f"Service request {request.number or request.id}", facts, links=links)
    facts += [
        ("Service order", order.number), ("Status", order.status), ("Free service", order.free_service),
        ("Skill", order.required_skill), ("Planned hours", fmt.hours(order.planned_hours)),
        ("Scheduled start", fmt.datetime(order.scheduled_start)), ("Fee quote", fmt.money(order.fee_quote)),
        ("Booked", "; ".join(f"{b.engineer.name} {fmt.datetime(b.starts_at)}–{fmt.clock(b.ends_at)}"
                             for b in order.bookings) or None),
        ("Labour hours", fmt.hours(order.labour_hours) if order.labour_hours is not None else None)]
    return context_view(
        "service_order", f"Service order {order.number or order.id}", facts,
        lines=(("Item", "Quantity", "Unit price"),
               [(item.description, fmt.number(item.quantity), fmt.money(item.unit_price)) for item in order.items]),
        links=links)
