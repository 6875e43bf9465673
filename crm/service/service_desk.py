"""Service requests (phone, web, complaint, booking) and the service orders, work and follow-ups they lead to."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import ForeignKey, Select, String, Text, func, select
from sqlalchemy.orm import Mapped, Session, joinedload, mapped_column, relationship

from crm.base import CrmBase, utcnow
from crm.change_tracking import ChangeTracked
from crm.customers.models import Customer
from crm.integrations.webhooks import emit
from crm.money import ZERO, Money, Percent, Quantity, to_cents
from crm.numbering import assign_number
from crm.orders.catalog import Product, by_codes
from crm.orders.errors import OrderError
from crm.service.engineers import Booking
from crm.service.policy import estimate
from i18n import _

CHANNELS = ("phone", "web", "complaint", "booking")
REQUEST_TYPES = ("repair", "maintenance", "installation", "consultation", "complaint")
URGENCIES = ("low", "normal", "high", "critical")
HANDLING = ("phone", "service_order", "complaint")
"""How a classified request is handled: answered by phone, by a service order, as a complaint."""
REQUEST_STATUSES = ("new", "classified", "in_service", "resolved", "closed", "cancelled")


class ServiceError(OrderError):
    """A service request or order cannot be changed this way."""


class ServiceRequest(ChangeTracked, CrmBase):
    __tablename__ = "service_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str | None] = mapped_column(String(30), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    request_type: Mapped[str] = mapped_column(String(30))
    urgency: Mapped[str] = mapped_column(String(20), default="normal")
    product_id: Mapped[int | None] = mapped_column(ForeignKey("product.id"))
    description: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="new", index=True)
    handling: Mapped[str] = mapped_column(String(20), default="")
    resolution: Mapped[str] = mapped_column(Text, default="")
    complaint_cause: Mapped[str] = mapped_column(String(50), default="")
    complaint_action: Mapped[str] = mapped_column(Text, default="")
    instance_id: Mapped[int | None] = mapped_column(index=True)
    created_by: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[dt.datetime | None]
    updated_at: Mapped[dt.datetime | None] = mapped_column(default=utcnow, index=True)

    customer: Mapped[Customer] = relationship()
    product: Mapped[Product | None] = relationship()
    order: Mapped[ServiceOrder | None] = relationship(back_populates="request")


class ServiceOrder(ChangeTracked, CrmBase):
    """Items, engineer bookings, time and fee; status awaiting_confirmation (or confirmed, when free) ->
    scheduled -> done -> settled, or cancelled when the customer declines."""

    __tablename__ = "service_order"
    change_parent = "request"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str | None] = mapped_column(String(30), unique=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("service_request.id"), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"), index=True)
    status: Mapped[str] = mapped_column(String(30), default="awaiting_confirmation", index=True)
    free_service: Mapped[bool] = mapped_column(default=False)
    required_skill: Mapped[str] = mapped_column(String(50), default="")
    planned_hours: Mapped[Decimal] = mapped_column(Quantity)
    scheduled_start: Mapped[dt.datetime | None]
    fee_quote: Mapped[Decimal] = mapped_column(Money, default=ZERO)
    customer_confirmed: Mapped[bool | None]
    confirmed_at: Mapped[dt.datetime | None]
    labour_hours: Mapped[Decimal | None] = mapped_column(Quantity)
    materials_cost: Mapped[Decimal] = mapped_column(Money, default=ZERO)
    materials_note: Mapped[str] = mapped_column(Text, default="")
    work_report: Mapped[str] = mapped_column(Text, default="")
    completed_at: Mapped[dt.datetime | None]
    instance_id: Mapped[int | None] = mapped_column(index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime | None] = mapped_column(default=utcnow, index=True)
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    """The ETag of the API: raised by every change (:mod:`crm.change_tracking`)."""

    request: Mapped[ServiceRequest] = relationship(back_populates="order")
    customer: Mapped[Customer] = relationship()
    items: Mapped[list[ServiceOrderItem]] = relationship(back_populates="order", cascade="all, delete-orphan",
                                                         order_by="ServiceOrderItem.id")
    bookings: Mapped[list[Booking]] = relationship(order_by="Booking.starts_at")
    follow_up: Mapped[FollowUp | None] = relationship(back_populates="order")

    @property
    def items_total(self) -> Decimal:
        return sum((item.quantity * item.unit_price for item in self.items), Decimal(0))


class ServiceOrderItem(ChangeTracked, CrmBase):
    __tablename__ = "service_order_item"
    change_parent = "order"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("service_order.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("product.id"))
    description: Mapped[str] = mapped_column(String(300))
    quantity: Mapped[Decimal] = mapped_column(Quantity, default=Decimal(1))
    unit_price: Mapped[Decimal] = mapped_column(Money)

    order: Mapped[ServiceOrder] = relationship(back_populates="items")


class FollowUp(CrmBase):
    """The follow-up visit: satisfaction (1-5) with attitude and quality; a complaint and how it was resolved."""

    __tablename__ = "service_follow_up"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("service_order.id"), unique=True)
    attitude: Mapped[int]
    quality: Mapped[int]
    complaint: Mapped[bool] = mapped_column(default=False)
    comment: Mapped[str] = mapped_column(Text, default="")
    complaint_action: Mapped[str] = mapped_column(Text, default="")
    goodwill_percent: Mapped[Decimal] = mapped_column(Percent, default=ZERO)
    created_by: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    order: Mapped[ServiceOrder] = relationship(back_populates="follow_up")


def _check(value: str, allowed: tuple[str, ...], what: str) -> str:
    """``value`` if it is one of ``allowed``; ``what`` names the field (translated)."""
    if value not in allowed:
        raise ServiceError(_("Unknown %(what)s %(value)s; use one of %(allowed)s.", what=what, value=repr(value),
                             allowed=", ".join(allowed)))
    return value


def register_request(
    session: Session, customer_id: int, channel: str, request_type: str, description: str, *,
    product_code: str = "", created_by: str = "", instance_id: int | None = None,
) -> ServiceRequest:
    """A new service request, whatever channel it came through; an unknown product code is kept in the text."""
    if session.get(Customer, customer_id) is None:
        raise ServiceError(_("There is no customer %(id)s.", id=customer_id))
    product = session.scalar(select(Product).where(Product.code == product_code)) if product_code else None
    if product_code and product is None:
        description = description + "\n" + _("(product code %(code)s is not in the catalogue)", code=product_code)
    request = ServiceRequest(
        customer_id=customer_id, channel=_check(channel, CHANNELS, _("channel")),
        request_type=_check(request_type, REQUEST_TYPES, _("request type")), description=description,
        product=product, created_by=created_by, instance_id=instance_id,
    )
    assign_number(session, request, "SR")
    emit(session, "service_request.created", {
        "request_id": request.id, "number": request.number, "customer_id": customer_id, "channel": request.channel,
        "request_type": request.request_type, "description": description, "instance_id": instance_id})
    return request


def get_request(session: Session, request_id: int) -> ServiceRequest:
    request = session.get(ServiceRequest, request_id)
    if request is None:
        raise ServiceError(_("There is no service request %(id)s.", id=request_id))
    return request


def get_order(session: Session, order_id: int) -> ServiceOrder:
    order = session.get(ServiceOrder, order_id)
    if order is None:
        raise ServiceError(_("There is no service order %(id)s.", id=order_id))
    return order


def classify(request: ServiceRequest, request_type: str, urgency: str, handling: str) -> None:
    """Type, urgency grade and how the request will be handled."""
    request.request_type = _check(request_type, REQUEST_TYPES, _("request type"))
    request.urgency = _check(urgency, URGENCIES, _("urgency"))
    request.handling, request.status = _check(handling, HANDLING, _("handling")), "classified"


def record_complaint(request: ServiceRequest, cause: str, action: str) -> None:
    request.complaint_cause, request.complaint_action = cause, action


def close(request: ServiceRequest, status: str, resolution: str = "") -> None:
    """Close a request as ``resolved``, ``closed`` or ``cancelled``."""
    request.status = _check(status, ("resolved", "closed", "cancelled"), _("closing status"))
    if resolution:
        request.resolution = resolution
    request.closed_at = utcnow()


def create_order(
    session: Session, request: ServiceRequest, item_codes: list[str], *, free_service: bool,
    required_skill: str, planned_hours: Decimal, scheduled_start: dt.datetime | None, labour_rate: Decimal,
    instance_id: int | None = None,
) -> ServiceOrder:
    """A service order with catalogue items and a fee quote at ``labour_rate`` (zero for a free service)."""
    if request.order is not None:
        raise ServiceError(_("Request %(request)s already has order %(order)s.", request=request.number,
                             order=request.order.number))
    if Decimal(planned_hours) <= 0:
        raise ServiceError(_("Planned hours must be positive."))
    order = ServiceOrder(
        request=request, customer_id=request.customer_id, free_service=free_service, required_skill=required_skill,
        planned_hours=Decimal(planned_hours), scheduled_start=scheduled_start, instance_id=instance_id,
        status="confirmed" if free_service else "awaiting_confirmation",
        items=[ServiceOrderItem(product_id=p.id, description=p.name, quantity=Decimal(1), unit_price=p.unit_price)
               for p in by_codes(session, item_codes)],
    )
    order.fee_quote = ZERO if free_service else to_cents(estimate(order.items_total, order.planned_hours, labour_rate))
    request.status = "in_service"
    assign_number(session, order, "SO")
    return order


def record_confirmation(order: ServiceOrder, confirmed: bool) -> None:
    """The customer's answer to the items, time and fee quote."""
    order.customer_confirmed, order.confirmed_at = confirmed, utcnow()
    order.status = "confirmed" if confirmed else "cancelled"


def mark_scheduled(order: ServiceOrder, starts_at: dt.datetime) -> None:
    order.status, order.scheduled_start = "scheduled", starts_at


def record_work(
    order: ServiceOrder, labour_hours: Decimal, materials_cost: Decimal, materials_note: str, work_report: str
) -> None:
    """What the engineer did: hours, materials used and the report."""
    if Decimal(labour_hours) < 0 or Decimal(materials_cost) < 0:
        raise ServiceError(_("Hours and materials cannot be negative."))
    order.labour_hours, order.materials_cost = Decimal(labour_hours), to_cents(materials_cost)
    order.materials_note, order.work_report = materials_note, work_report
    order.status, order.completed_at = "done", utcnow()


def record_follow_up(
    session: Session, order: ServiceOrder, attitude: int, quality: int, complaint: bool, comment: str, by: str
) -> FollowUp:
    if not (1 <= attitude <= 5 and 1 <= quality <= 5):
        raise ServiceError(_("Satisfaction is graded from 1 to 5."))
    follow_up = FollowUp(order=order, attitude=attitude, quality=quality, complaint=complaint, comment=comment,
                         created_by=by)
    session.add(follow_up)
    session.flush()
    return follow_up


def resolve_follow_up_complaint(follow_up: FollowUp, action: str, goodwill_percent: Decimal) -> None:
    """How a complaint from the follow-up was handled; goodwill adds to the customer's discount."""
    if not Decimal(0) <= Decimal(goodwill_percent) <= Decimal(100):
        raise ServiceError(_("Goodwill is a percentage from 0 to 100."))
    follow_up.complaint_action, follow_up.goodwill_percent = action, Decimal(goodwill_percent)


def _of_status(query: Select, status: str) -> Select:
    return query.where(ServiceRequest.status == status) if status else query


def count_requests(session: Session, status: str = "") -> int:
    """How many service requests there are (of ``status``, when given)."""
    return session.scalar(_of_status(select(func.count()).select_from(ServiceRequest), status))


def list_requests(session: Session, status: str = "", *, offset: int = 0, limit: int | None = None,
                  ) -> list[ServiceRequest]:
    """Service requests newest first (of ``status``, when given), ``limit`` of them from ``offset``, each with its
    customer's name loaded (one statement, however many customers a page shows)."""
    query = _of_status(select(ServiceRequest), status).options(
        joinedload(ServiceRequest.customer).load_only(Customer.company))
    return list(session.scalars(query.order_by(ServiceRequest.id.desc()).offset(offset).limit(limit)))


def count_orders(session: Session) -> int:
    """How many service orders there are."""
    return session.scalar(select(func.count()).select_from(ServiceOrder))


def list_orders(session: Session, *, offset: int = 0, limit: int | None = None) -> list[ServiceOrder]:
    """Service orders newest first, ``limit`` of them from ``offset``, each with its customer's name loaded."""
    query = select(ServiceOrder).options(joinedload(ServiceOrder.customer).load_only(Customer.company))
    return list(session.scalars(query.order_by(ServiceOrder.id.desc()).offset(offset).limit(limit)))
