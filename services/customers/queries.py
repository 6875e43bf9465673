"""What the customer pages and the order forms ask about customers: by owner, in scope, with their work."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm.accounts.users import User
from crm.customers.models import Contact, Customer
from crm.orders.contracts import Contract
from crm.orders.quotes import Quote
from crm.sales.activities import Activity
from crm.sales.opportunities import Opportunity
from crm.service.service_desk import ServiceRequest
from engine.models import HumanTask, ProcessInstance
from i18n import _


def customer_by_id(session: Session, customer_id: int | None) -> Customer | None:
    """The customer with this id, whoever owns it (callers check the data scope)."""
    return session.get(Customer, customer_id) if customer_id else None


def customers_owned_by(session: Session, user_id: int) -> list[Customer]:
    """The customers ``user_id`` looks after, by company name."""
    return list(session.scalars(select(Customer).where(Customer.owner_id == user_id).order_by(Customer.company)))


def customers_in_scope(session: Session, owner_ids: set[int] | None) -> list[Customer]:
    """The customers whose owner is in ``owner_ids`` (None: all), by company name."""
    query = select(Customer).order_by(Customer.company)
    if owner_ids is not None:
        query = query.where(Customer.owner_id.in_(owner_ids))
    return list(session.scalars(query))


def opportunities_of_customer(session: Session, customer_id: int) -> list[Opportunity]:
    """The customer's opportunities, open ones first, furthest stage first."""
    return list(session.scalars(select(Opportunity).where(Opportunity.customer_id == customer_id)
                                .order_by(Opportunity.status, Opportunity.stage.desc())))


def open_tasks_of_customer(session: Session, customer_id: int) -> list[HumanTask]:
    """The ready tasks of every process about the customer."""
    return list(session.scalars(select(HumanTask).where(HumanTask.customer_id == customer_id,
                                                        HumanTask.status == "ready")))


def customer_counts_by_owner(session: Session) -> dict[int | None, int]:
    """How many customers each owner id has (None: unowned)."""
    return dict(session.execute(select(Customer.owner_id, func.count()).group_by(Customer.owner_id)).all())


def owners_by_name(session: Session, owner_ids: list[int]) -> list[User]:
    """The users with these ids, by display name."""
    return list(session.scalars(select(User).where(User.id.in_(owner_ids)).order_by(User.display_name)))


def contact_of(session: Session, customer_id: int, contact_id: int) -> Contact | None:
    """The contact, if it belongs to the customer."""
    contact = session.get(Contact, contact_id)
    return contact if contact is not None and contact.customer_id == customer_id else None


def attribute_options(session: Session) -> dict[str, list[str]]:
    """Values already used for industry, size, region and source (suggestions on the customer form)."""
    def used(column) -> list[str]:
        return [v for v in session.scalars(select(column).distinct().order_by(column).limit(200)) if v]

    return {"industry": used(Customer.industry), "size": used(Customer.size), "region": used(Customer.region),
            "source": used(Customer.source)}


def record_counts(session: Session, customer_id: int) -> dict[str, int]:
    """How many contacts, opportunities, activities, quotes, contracts, service requests and process instances
    name the customer (what a merge would move)."""
    counts = {}
    for label, model in ((_("contacts"), Contact), (_("opportunities"), Opportunity), (_("activities"), Activity),
                         (_("quotes"), Quote), (_("contracts"), Contract), (_("service requests"), ServiceRequest),
                         (_("process instances"), ProcessInstance)):
        counts[label] = session.scalar(select(func.count()).select_from(model)
                                       .where(model.customer_id == customer_id)) or 0
    return counts
