"""Expense claims of visits and receptions: lines, the advance already paid, review and settlement."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from crm.accounts.users import User
from crm.base import CrmBase, utcnow
from crm.customers.models import Customer
from crm.sales.labels import status_label
from i18n import _, _l

MONEY = Numeric(14, 2)
EXPENSE_CATEGORIES = {
    "travel": _l("Travel"), "accommodation": _l("Accommodation"), "meals": _l("Meals"), "gifts": _l("Gifts"),
    "other": _l("Other"),
}
"""Expense categories: stored key -> label in the reader's language."""


class ExpenseClaim(CrmBase):
    __tablename__ = "expense_claim"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customer.id"), index=True)
    claimant_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    subject: Mapped[str] = mapped_column(String(20), default="other")
    subject_id: Mapped[int | None]
    advance: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    approved_amount: Mapped[Decimal | None] = mapped_column(MONEY)
    status: Mapped[str] = mapped_column(String(20), default="submitted", index=True)  # approved | rejected | paid
    paid_on: Mapped[dt.date | None]
    payment_reference: Mapped[str] = mapped_column(String(100), default="")
    instance_id: Mapped[int | None] = mapped_column(index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    customer: Mapped[Customer | None] = relationship()
    claimant: Mapped[User | None] = relationship()
    lines: Mapped[list[ExpenseLine]] = relationship(back_populates="claim", order_by="ExpenseLine.id",
                                                    cascade="all, delete-orphan")

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0"))

    @property
    def balance(self) -> Decimal:
        """What finance still pays the claimant (negative: the claimant returns part of the advance)."""
        approved = self.approved_amount if self.approved_amount is not None else self.total
        return approved - self.advance


class ExpenseLine(CrmBase):
    __tablename__ = "expense_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("expense_claim.id"), index=True)
    category: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(String(300), default="")
    amount: Mapped[Decimal] = mapped_column(MONEY)

    claim: Mapped[ExpenseClaim] = relationship(back_populates="lines")


def create_claim(
    session: Session, *, claimant: User | None, customer_id: int | None, subject: str, subject_id: int | None,
    advance: Decimal, costs: dict[str, Decimal], instance_id: int | None = None,
) -> ExpenseClaim:
    """A submitted claim with one line per category that has a cost."""
    unknown = set(costs) - set(EXPENSE_CATEGORIES)
    if unknown:
        raise ValueError(_("Unknown expense categories: %(categories)s", categories=", ".join(sorted(unknown))))
    claim = ExpenseClaim(claimant=claimant, customer_id=customer_id, subject=subject, subject_id=subject_id,
                         advance=advance, instance_id=instance_id)
    claim.lines = [ExpenseLine(category=c, description=str(EXPENSE_CATEGORIES[c]), amount=a)
                   for c, a in costs.items() if a]
    session.add(claim)
    session.flush()
    return claim


def review_claim(session: Session, claim: ExpenseClaim, approved: bool, amount: Decimal | None) -> ExpenseClaim:
    """The reviewer's decision; an approved claim may be cut to ``amount``."""
    if claim.status != "submitted":
        raise ValueError(_("The claim is already %(status)s.", status=status_label(claim.status)))
    claim.status = "approved" if approved else "rejected"
    if approved:
        claim.approved_amount = claim.total if amount is None else min(amount, claim.total)
    session.flush()
    return claim


def settle_claim(session: Session, claim: ExpenseClaim, paid_on: dt.date, reference: str) -> ExpenseClaim:
    """Finance paid (or collected) the balance: the claim is closed."""
    if claim.status != "approved":
        raise ValueError(_("Only an approved claim can be settled (this one is %(status)s).",
                           status=status_label(claim.status)))
    claim.status, claim.paid_on, claim.payment_reference = "paid", paid_on, reference
    session.flush()
    return claim
