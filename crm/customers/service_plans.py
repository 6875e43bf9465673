"""Customer service plans: drafted, reviewed, approved and issued in the relationship-maintenance flow."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from crm.base import CrmBase, utcnow
from crm.customers.models import Customer


class ServicePlan(CrmBase):
    __tablename__ = "service_plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"), index=True)
    content: Mapped[str] = mapped_column(Text, default="")
    service_items: Mapped[str] = mapped_column(String(300), default="")
    visits_per_year: Mapped[int] = mapped_column(default=0)
    budget: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=Decimal("0"))
    status: Mapped[str] = mapped_column(String(20), default="issued")  # issued | improving | completed
    revision: Mapped[int] = mapped_column(default=1)
    outcome: Mapped[str] = mapped_column(Text, default="")
    issued_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    instance_id: Mapped[int | None] = mapped_column(index=True)

    customer: Mapped[Customer] = relationship()


def issue_plan(session: Session, instance_id: int, customer: Customer, *, content: str, service_items: str,
               visits_per_year: int, budget: Decimal) -> ServicePlan:
    """⑦ Issue the approved plan; an improved plan of the same process is a new revision."""
    plan = session.scalar(select(ServicePlan).where(ServicePlan.instance_id == instance_id))
    if plan is None:
        plan = ServicePlan(instance_id=instance_id, customer=customer, revision=0)
        session.add(plan)
    plan.content, plan.service_items, plan.budget = content, service_items, budget
    plan.visits_per_year = visits_per_year
    plan.revision += 1
    plan.status, plan.issued_at = "issued", utcnow()
    session.flush()
    return plan


def record_outcome(session: Session, plan: ServicePlan, outcome: str, problems: bool) -> None:
    """⑧ How carrying out the plan went; problems send it back for improvement."""
    plan.outcome = outcome
    plan.status = "improving" if problems else "completed"
    session.flush()
