"""Payment (collection) plans, their lines and the payments recorded against a line (partial ones too)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from crm import formatting
from crm.base import CrmBase, utcnow
from crm.change_tracking import ChangeTracked
from crm.customers.models import Customer
from crm.integrations.webhooks import emit
from crm.money import ZERO, Money, Percent, share, to_cents
from crm.orders.contracts import Contract
from crm.orders.errors import OrderError
from i18n import _


class PaymentError(OrderError):
    """A plan or payment is not acceptable."""


class PaymentPlan(ChangeTracked, CrmBase):
    """What a customer owes and when: for a contract, or for a settled service order."""

    __tablename__ = "payment_plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"), index=True)
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contract.id"), index=True)
    settlement_id: Mapped[int | None] = mapped_column(ForeignKey("service_settlement.id"), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    created_by: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime | None] = mapped_column(default=utcnow, index=True)
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    """The ETag of the API: raised by every change (:mod:`crm.change_tracking`)."""

    customer: Mapped[Customer] = relationship()
    contract: Mapped[Contract | None] = relationship()
    lines: Mapped[list[PaymentPlanLine]] = relationship(
        back_populates="plan", order_by="PaymentPlanLine.position", cascade="all, delete-orphan"
    )

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)

    @property
    def currency(self) -> str:
        """The currency of the plan's amounts: its contract's, else the site's."""
        return self.contract.currency if self.contract is not None else formatting.site_currency()


class PaymentPlanLine(ChangeTracked, CrmBase):
    """One instalment: a receivable until it is settled (status open -> partially_paid -> settled)."""

    __tablename__ = "payment_plan_line"
    change_parent = "plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("payment_plan.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=1)
    label: Mapped[str] = mapped_column(String(200))
    due_date: Mapped[dt.date] = mapped_column(index=True)
    percent: Mapped[Decimal | None] = mapped_column(Percent)
    amount: Mapped[Decimal] = mapped_column(Money)
    paid_amount: Mapped[Decimal] = mapped_column(Money, default=ZERO)
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    settled_on: Mapped[dt.date | None]
    collection_instance_id: Mapped[int | None] = mapped_column(index=True)
    reminded_at: Mapped[dt.datetime | None]
    escalated_at: Mapped[dt.datetime | None]

    plan: Mapped[PaymentPlan] = relationship(back_populates="lines")
    payments: Mapped[list[Payment]] = relationship(back_populates="line", order_by="Payment.id")

    @property
    def open_amount(self) -> Decimal:
        return self.amount - self.paid_amount

    def days_overdue(self, today: dt.date) -> int:
        """Days past the due date while not settled (0 when not overdue)."""
        return max((today - self.due_date).days, 0) if self.status != "settled" else 0


class Payment(ChangeTracked, CrmBase):
    """Money received against a plan line."""

    __tablename__ = "payment"
    change_parent = "line"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_line_id: Mapped[int] = mapped_column(ForeignKey("payment_plan_line.id"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Money)
    received_on: Mapped[dt.date]
    reference: Mapped[str] = mapped_column(String(100), default="")
    recorded_by: Mapped[str] = mapped_column(String(100), default="")
    instance_id: Mapped[int | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    line: Mapped[PaymentPlanLine] = relationship(back_populates="payments")


@dataclass(frozen=True)
class LineSpec:
    """A plan line to create: a fixed ``amount`` or a ``percent`` of the contract amount."""

    label: str
    due_date: dt.date
    percent: Decimal | None = None
    amount: Decimal | None = None


def create_plan(
    session: Session, customer: Customer, specs: list[LineSpec], *, contract: Contract | None = None,
    settlement_id: int | None = None, title: str = "", created_by: str = "",
) -> PaymentPlan:
    """A plan with its lines; percent lines of a contract are rounded so that 100 % is its exact amount."""
    if not specs:
        raise PaymentError(_("A payment plan needs at least one line."))
    plan = PaymentPlan(customer=customer, contract=contract, settlement_id=settlement_id, created_by=created_by,
                       title=title or (_("Payments for %(number)s", number=contract.number) if contract
                                                 else _("Payments")))
    cumulative_percent, rounded_so_far = Decimal(0), ZERO
    for position, spec in enumerate(specs, start=1):
        if (spec.percent is None) == (spec.amount is None):
            raise PaymentError(_("Line %(n)s: give either a percent or an amount.", n=position))
        if spec.percent is not None:
            if contract is None:
                raise PaymentError(_("Percent lines need a contract amount to take a share of."))
            cumulative_percent += Decimal(spec.percent)
            rounded_total = to_cents(share(contract.amount, cumulative_percent))
            amount, rounded_so_far = rounded_total - rounded_so_far, rounded_total
        else:
            amount = to_cents(spec.amount)
        if amount <= 0:
            raise PaymentError(_("Line %(n)s: the amount must be positive.", n=position))
        plan.lines.append(PaymentPlanLine(position=position, label=spec.label, due_date=spec.due_date,
                                          percent=spec.percent, amount=amount))
    if cumulative_percent > 100:
        raise PaymentError(_("The percentages add up to more than 100."))
    check_contract_cover(session, plan)
    session.add(plan)
    session.flush()
    return plan


def check_contract_cover(session: Session, plan: PaymentPlan) -> None:
    """Refuse a plan whose contract's plans, this one as it now stands included, would ask for more than the
    contract's amount (a new plan and a changed one alike)."""
    contract = plan.contract
    if contract is None:
        return
    others = (other.total for other in plans_for_contract(session, contract.id) if other is not plan)
    planned = sum(others, ZERO) + plan.total
    if planned > contract.amount:
        raise PaymentError(_("The plans (%(planned)s) would exceed the contract amount (%(amount)s).",
                             planned=formatting.money(planned, contract.currency),
                             amount=formatting.money(contract.amount, contract.currency)))


def lock_line(session: Session, line_id: int) -> PaymentPlanLine:
    """A plan line, row-locked for the rest of the transaction (PostgreSQL)."""
    line = session.get(PaymentPlanLine, line_id, with_for_update=True, populate_existing=True)
    if line is None:
        raise PaymentError(_("There is no payment plan line %(id)s.", id=line_id))
    return line


def record_payment(
    session: Session, line_id: int, amount: Decimal, received_on: dt.date, *, reference: str = "",
    recorded_by: str = "", instance_id: int | None = None,
) -> Payment:
    """Record money received against a line (no more than is open); a fully paid line is settled."""
    line = lock_line(session, line_id)
    amount = Decimal(amount)
    if amount != to_cents(amount) or amount <= 0:
        raise PaymentError(_("The payment must be a positive amount in whole cents."))
    if line.status == "settled":
        raise PaymentError(_("“%(line)s” is settled: nothing is open on it.", line=line.label))
    if amount > line.open_amount:
        raise PaymentError(_("Only %(amount)s is open on “%(line)s”.",
                             amount=formatting.money(line.open_amount, line.plan.currency), line=line.label))
    payment = Payment(line=line, customer_id=line.plan.customer_id, amount=amount, received_on=received_on,
                      reference=reference, recorded_by=recorded_by, instance_id=instance_id)
    session.add(payment)
    line.paid_amount += amount
    line.status = "settled" if line.open_amount == 0 else "partially_paid"
    line.settled_on = received_on if line.status == "settled" else None
    session.flush()
    emit(session, "payment.received", {
        "payment_id": payment.id, "customer_id": payment.customer_id, "plan_id": line.plan_id,
        "plan_line_id": line.id, "contract_id": line.plan.contract_id, "amount": str(amount),
        "received_on": str(received_on), "reference": reference, "line_status": line.status})
    return payment


def payment_by_reference(session: Session, line_id: int, reference: str) -> Payment | None:
    """The payment already recorded on the line under this (external, e.g. bank or ERP) reference, if any."""
    if not reference:
        return None
    return session.scalar(select(Payment).where(Payment.plan_line_id == line_id, Payment.reference == reference)
                          .order_by(Payment.id).limit(1))


def plans_for_contract(session: Session, contract_id: int) -> list[PaymentPlan]:
    return list(session.scalars(select(PaymentPlan).where(PaymentPlan.contract_id == contract_id)
                                .order_by(PaymentPlan.id)))


def collected(session: Session, contract_id: int) -> Decimal:
    """Money received so far on a contract's plans."""
    return sum((line.paid_amount for plan in plans_for_contract(session, contract_id) for line in plan.lines), ZERO)
