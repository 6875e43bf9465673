"""What the service-desk and engineer-schedule pages ask: a request with its settlement, who could be an engineer."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.accounts.users import Role, User
from crm.service.service_desk import ServiceRequest
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
