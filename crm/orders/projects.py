"""Projects from the bid to delivery (of the ship): stage, milestones, responsible person, production progress."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import ForeignKey, String, Text, select
from sqlalchemy.orm import Mapped, Session, contains_eager, joinedload, mapped_column, relationship

from crm import formatting
from crm.accounts.users import User
from crm.base import CrmBase, utcnow
from crm.customers.models import Customer
from crm.money import ZERO
from crm.numbering import assign_number
from crm.orders.contracts import Contract
from crm.orders.errors import OrderError
from crm.orders.payments import collected
from i18n import _

STAGES = ("bid", "signed", "design", "production", "delivery", "warranty", "closed")


class ProjectError(OrderError):
    """A project cannot be changed this way."""


class Project(CrmBase):
    __tablename__ = "project"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str | None] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"), index=True)
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contract.id"), unique=True)
    responsible_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    stage: Mapped[str] = mapped_column(String(20), default="bid", index=True)
    progress_percent: Mapped[int] = mapped_column(default=0)
    planned_delivery: Mapped[dt.date | None]
    delivered_on: Mapped[dt.date | None]
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    customer: Mapped[Customer] = relationship()
    contract: Mapped[Contract | None] = relationship()
    responsible: Mapped[User | None] = relationship()
    milestones: Mapped[list[Milestone]] = relationship(
        back_populates="project", order_by="Milestone.due_date", cascade="all, delete-orphan"
    )


class Milestone(CrmBase):
    __tablename__ = "project_milestone"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    due_date: Mapped[dt.date]
    done_on: Mapped[dt.date | None]

    project: Mapped[Project] = relationship(back_populates="milestones")


@dataclass(frozen=True)
class Performance:
    """How a project is doing: money in against the contract, milestones on time."""

    contract_amount: Decimal
    collected: Decimal
    milestones_done: int
    milestones_on_time: int
    milestones_late: int

    @property
    def collected_percent(self) -> int:
        return int(self.collected * 100 / self.contract_amount) if self.contract_amount else 0


def create_project(
    session: Session, name: str, customer: Customer, responsible: User | None, *,
    contract: Contract | None = None, planned_delivery: dt.date | None = None,
) -> Project:
    """A project at the bid stage, or at ``signed`` when it comes with an active contract."""
    if contract is not None and session.scalar(select(Project.id).where(Project.contract_id == contract.id)):
        raise ProjectError(_("Contract %(number)s already has a project.", number=contract.number))
    stage = "signed" if contract is not None and contract.status == "active" else "bid"
    project = Project(name=name, customer=customer, responsible=responsible, contract=contract, stage=stage,
                      planned_delivery=planned_delivery)
    assign_number(session, project, "P")
    return project


def update_progress(project: Project, stage: str, progress_percent: int, today: dt.date) -> None:
    """Move the stage and production progress on; reaching ``delivery`` at 100 % records the delivery date."""
    if stage not in STAGES:
        raise ProjectError(_("Choose one of the stages."))
    if not 0 <= progress_percent <= 100:
        raise ProjectError(_("Progress is a percentage from 0 to 100."))
    project.stage, project.progress_percent = stage, progress_percent
    if stage in ("delivery", "warranty", "closed") and progress_percent == 100 and project.delivered_on is None:
        project.delivered_on = today


def add_milestone(session: Session, project: Project, name: str, due_date: dt.date) -> Milestone:
    milestone = Milestone(name=name, due_date=due_date)
    project.milestones.append(milestone)
    session.flush()
    return milestone


def complete_milestone(milestone: Milestone, on: dt.date) -> None:
    if milestone.done_on is not None:
        raise ProjectError(_("Milestone “%(name)s” was already done on %(date)s.", name=milestone.name,
                             date=formatting.date(milestone.done_on)))
    milestone.done_on = on


def performance(session: Session, project: Project) -> Performance:
    done = [m for m in project.milestones if m.done_on is not None]
    on_time = sum(1 for m in done if m.done_on <= m.due_date)
    contract = project.contract
    return Performance(
        contract_amount=contract.amount if contract else ZERO,
        collected=collected(session, contract.id) if contract else ZERO,
        milestones_done=len(done), milestones_on_time=on_time, milestones_late=len(done) - on_time,
    )


def list_projects(session: Session, scope: set[int] | None) -> list[Project]:
    """Projects whose customer is owned within ``scope`` (None: every project), newest first, in one statement
    with the customer, contract and responsible person the list shows."""
    query = (select(Project).join(Project.customer)
             .options(contains_eager(Project.customer), joinedload(Project.contract), joinedload(Project.responsible))
             .order_by(Project.id.desc()))
    if scope is not None:
        query = query.where(Customer.owner_id.in_(scope))
    return list(session.scalars(query))
