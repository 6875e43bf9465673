"""What the service-desk and engineer-schedule pages ask: a request with its settlement, who could be an engineer,
the desk's list of requests and orders."""

from __future__ import annotations

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from crm.accounts.users import Role, User
from crm.customers.models import Customer
from crm.service.service_desk import ServiceOrder, ServiceRequest
from crm.service.settlements import Settlement


def service_request_by_id(session: Session, request_id: int) -> ServiceRequest | None:
    """The service request with this id."""
    return session.get(ServiceRequest, request_id)


def settlement_of_order(session: Session, order_id: int) -> Settlement | None:
    """The settlement of the service order, once it is settled."""
    return session.scalar(select(Settlement).where(Settlement.order_id == order_id))


def engineers_without_profile(session: Session, profiled_user_ids: list[int]) -> list[User]:
    """Active users holding the engineer role who have no engineer profile yet, by username."""
    return list(session.scalars(
        select(User).join(User.roles).where(Role.key == "engineer", User.active.is_(True),
                                            User.id.not_in(profiled_user_ids)).order_by(User.username)))


def service_request_of_instance(session: Session, instance_id: int) -> ServiceRequest | None:
    """The service request a service-request process registered, if it has yet."""
    return session.scalar(select(ServiceRequest).where(ServiceRequest.instance_id == instance_id))


def request_rows(session: Session, status: str, offset: int, limit: int) -> list[Row]:
    """A page of service requests newest first (of ``status``, when given), as the desk's list shows them: the
    columns it shows and the customer's name (no records: the list only reads and links them)."""
    query = (select(ServiceRequest.id, ServiceRequest.number, Customer.company, ServiceRequest.channel,
                    ServiceRequest.request_type, ServiceRequest.urgency, ServiceRequest.handling,
                    ServiceRequest.status, ServiceRequest.created_at)
             .join(Customer, Customer.id == ServiceRequest.customer_id))
    if status:
        query = query.where(ServiceRequest.status == status)
    return list(session.execute(query.order_by(ServiceRequest.id.desc()).offset(offset).limit(limit)))


def order_rows(session: Session, offset: int, limit: int) -> list[Row]:
    """A page of service orders newest first, as the desk's list shows them (columns and the customer's name)."""
    query = (select(ServiceOrder.request_id, ServiceOrder.number, Customer.company, ServiceOrder.required_skill,
                    ServiceOrder.scheduled_start, ServiceOrder.fee_quote, ServiceOrder.free_service,
                    ServiceOrder.status)
             .join(Customer, Customer.id == ServiceOrder.customer_id))
    return list(session.execute(query.order_by(ServiceOrder.id.desc()).offset(offset).limit(limit)))
