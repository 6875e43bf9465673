"""What the quote, contract, project and payment pages ask: records by id and what hangs off them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.orders.catalog import Product
from crm.orders.contracts import Contract, ContractTemplate
from crm.orders.payments import PaymentPlan, PaymentPlanLine
from crm.orders.projects import Milestone, Project
from crm.orders.quotes import Quote
from engine.models import HumanTask


def quote_by_id(session: Session, quote_id: int) -> Quote | None:
    """The quote with this id (callers check the data scope)."""
    return session.get(Quote, quote_id)


def contract_of_quote(session: Session, quote_id: int) -> Contract | None:
    """The contract made from the quote, if one was."""
    return session.scalar(select(Contract).where(Contract.quote_id == quote_id))


def revision_of_quote(session: Session, quote_id: int) -> Quote | None:
    """The next revision made of the quote, if one was."""
    return session.scalar(select(Quote).where(Quote.revision_of_id == quote_id))


def product_by_id(session: Session, product_id: int | None) -> Product | None:
    """The catalogue product with this id (None for no id)."""
    return session.get(Product, product_id) if product_id else None


def contract_templates(session: Session, *, active_only: bool = False) -> list[ContractTemplate]:
    """The contract templates by name (``active_only``: those offered for new contracts)."""
    query = select(ContractTemplate).order_by(ContractTemplate.name)
    if active_only:
        query = query.where(ContractTemplate.active.is_(True))
    return list(session.scalars(query))


def contract_template_by_id(session: Session, template_id: int | None) -> ContractTemplate | None:
    """The contract template with this id (None for no id)."""
    return session.get(ContractTemplate, template_id) if template_id else None


def contract_by_id(session: Session, contract_id: int | None) -> Contract | None:
    """The contract with this id (callers check the data scope)."""
    return session.get(Contract, contract_id) if contract_id else None


def project_of_contract(session: Session, contract_id: int) -> Project | None:
    """The project delivering the contract, if there is one."""
    return session.scalar(select(Project).where(Project.contract_id == contract_id))


def project_by_id(session: Session, project_id: int) -> Project | None:
    """The project with this id (callers check the data scope)."""
    return session.get(Project, project_id)


def milestone_of_project(session: Session, project_id: int, milestone_id: int) -> Milestone | None:
    """The milestone with this id if it belongs to the project, else None."""
    milestone = session.get(Milestone, milestone_id)
    return milestone if milestone is not None and milestone.project_id == project_id else None


def payment_plan_by_id(session: Session, plan_id: int) -> PaymentPlan | None:
    """The payment plan with this id (callers check the data scope)."""
    return session.get(PaymentPlan, plan_id)


def ready_collection_tasks(session: Session, instance_ids: list[int]) -> dict[int, HumanTask]:
    """The ready "Record payment" (finance) task of each of these collection instances, by instance id."""
    rows = session.scalars(select(HumanTask).where(
        HumanTask.instance_id.in_(instance_ids), HumanTask.status == "ready", HumanTask.role == "finance"))
    return {row.instance_id: row for row in rows}


def payment_plan_line_by_id(session: Session, line_id: int) -> PaymentPlanLine | None:
    """The payment plan line with this id."""
    return session.get(PaymentPlanLine, line_id)
