"""Sales contracts: made from an accepted quote (nothing typed again) or from a template; approved in a process."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import ForeignKey, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column, object_session, relationship

from crm import formatting
from crm.accounts.users import User
from crm.base import CrmBase, utcnow
from crm.change_tracking import ChangeTracked
from crm.customers.models import Customer
from crm.integrations.webhooks import emit
from crm.money import ZERO, Money, Percent, to_cents
from crm.numbering import assign_number
from crm.orders.errors import OrderError
from crm.orders.labels import status_label
from crm.orders.line_items import PricedLine, unit_cost
from crm.orders.quotes import Quote, quote_totals
from i18n import _

CONTRACT_STATUSES = ("draft", "in_approval", "active", "terminated", "expired", "cancelled")


class ContractError(OrderError):
    """A contract cannot be changed this way."""


class ContractTemplate(CrmBase):
    """A unified electronic template: Jinja2 HTML with placeholders such as ``{{ contract.number }}``."""

    __tablename__ = "contract_template"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    body: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(10), default="", server_default="")
    """The language the template is written in (``zh_CN``, ``en``; empty: the site's): its contracts print in it."""
    active: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Contract(ChangeTracked, CrmBase):
    __tablename__ = "contract"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str | None] = mapped_column(String(30), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"), index=True)
    quote_id: Mapped[int | None] = mapped_column(ForeignKey("quote.id"), unique=True)
    template_id: Mapped[int | None] = mapped_column(ForeignKey("contract_template.id"))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    discount_percent: Mapped[Decimal] = mapped_column(Percent, default=ZERO)
    tax_percent: Mapped[Decimal] = mapped_column(Percent, default=ZERO)
    tax_amount: Mapped[Decimal] = mapped_column(Money, default=ZERO)
    amount: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3), default=formatting.site_currency)
    """ISO 4217 code of every amount of the contract: its quote's, else the site's ``CRM_CURRENCY``."""
    start_date: Mapped[dt.date | None]
    end_date: Mapped[dt.date | None]
    payment_terms: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    approval_instance_id: Mapped[int | None] = mapped_column(index=True)
    approval_route: Mapped[str] = mapped_column(String(200), default="")
    escalated_at: Mapped[dt.datetime | None]
    approved_at: Mapped[dt.datetime | None]
    rejected_reason: Mapped[str] = mapped_column(Text, default="")
    company_signed_on: Mapped[dt.date | None]
    customer_signed_on: Mapped[dt.date | None]
    terminated_on: Mapped[dt.date | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    """The ETag of the API: raised by every change (:mod:`crm.change_tracking`)."""

    customer: Mapped[Customer] = relationship()
    owner: Mapped[User | None] = relationship()
    quote: Mapped[Quote | None] = relationship()
    template: Mapped[ContractTemplate | None] = relationship()
    lines: Mapped[list[ContractLine]] = relationship(
        back_populates="contract", order_by="ContractLine.position", cascade="all, delete-orphan"
    )


class ContractLine(PricedLine, CrmBase):
    """A line copied from the quote the contract was made from."""

    __tablename__ = "contract_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    amount: Mapped[Decimal] = mapped_column(Money)

    contract: Mapped[Contract] = relationship(back_populates="lines")


def from_quote(
    session: Session, quote: Quote, *, template: ContractTemplate | None = None, payment_terms: str = "",
    start_date: dt.date | None = None, end_date: dt.date | None = None,
) -> Contract:
    """A draft contract carrying the accepted quote's customer, lines, discount, tax and total."""
    if quote.status != "accepted":
        raise ContractError(_("Quote %(number)s is %(status)s: only an accepted quote becomes a contract.",
                              number=quote.number, status=status_label(quote.status)))
    if session.scalar(select(Contract.id).where(Contract.quote_id == quote.id)) is not None:
        raise ContractError(_("Quote %(number)s already has a contract.", number=quote.number))
    figures = quote_totals(quote)
    contract = Contract(
        customer=quote.customer, quote=quote, template=template, owner=quote.owner, title=quote.title,
        discount_percent=quote.discount_percent, tax_percent=quote.tax_percent, tax_amount=figures.tax,
        amount=figures.total, currency=quote.currency, payment_terms=payment_terms, start_date=start_date,
        end_date=end_date, lines=[
            ContractLine(position=line.position, product=line.product, description=line.description,
                         quantity=line.quantity, unit_price=line.unit_price,
                         discount_percent=line.discount_percent, amount=line.amount, unit_cost=unit_cost(line))
            for line in quote.lines
        ],
    )
    assign_number(session, contract, "C")
    return contract


def from_template(
    session: Session, template: ContractTemplate, customer: Customer, owner: User | None, title: str,
    amount: Decimal, *, payment_terms: str = "", start_date: dt.date | None = None, end_date: dt.date | None = None,
) -> Contract:
    """A draft contract without a quote: the template gives the wording, the amount is entered."""
    if Decimal(amount) <= 0:
        raise ContractError(_("The contract amount must be positive."))
    contract = Contract(customer=customer, template=template, owner=owner, title=title, amount=to_cents(amount),
                        payment_terms=payment_terms, start_date=start_date, end_date=end_date)
    assign_number(session, contract, "C")
    return contract


def lock(session: Session, contract_id: int) -> Contract:
    """The contract, row-locked for the rest of the transaction (PostgreSQL)."""
    contract = session.get(Contract, contract_id, with_for_update=True, populate_existing=True)
    if contract is None:
        raise ContractError(_("There is no contract %(id)s.", id=contract_id))
    return contract


def submit(contract: Contract, instance_id: int) -> None:
    """A draft goes into approval, linked to the approval process instance."""
    if contract.status != "draft":
        raise ContractError(_("Contract %(number)s is %(status)s: only a draft can be submitted.",
                              number=contract.number, status=status_label(contract.status)))
    contract.status, contract.approval_instance_id = "in_approval", instance_id
    contract.rejected_reason, contract.escalated_at, contract.approval_route = "", None, ""


def approve(contract: Contract, company_signed_on: dt.date, customer_signed_on: dt.date) -> None:
    """Approved and signed by both sides: the contract is in force."""
    _require(contract, "in_approval")
    contract.status, contract.approved_at = "active", utcnow()
    contract.company_signed_on, contract.customer_signed_on = company_signed_on, customer_signed_on
    session = object_session(contract)
    if session is not None:
        emit(session, "contract.approved", {
            "contract_id": contract.id, "number": contract.number, "customer_id": contract.customer_id,
            "title": contract.title, "amount": str(contract.amount), "company_signed_on": str(company_signed_on),
            "customer_signed_on": str(customer_signed_on)})


def reject(contract: Contract, reason: str) -> None:
    """Rejected in approval: back to draft (to be revised and submitted again), with the reason."""
    _require(contract, "in_approval")
    contract.status, contract.rejected_reason = "draft", reason or "rejected"


def edit_draft(contract: Contract, values: dict) -> None:
    """Change a draft's terms (title, payment terms, dates; the amount of one not made from a quote)."""
    _require_draft(contract)
    if "amount" in values and contract.quote_id is not None and values["amount"] != contract.amount:
        raise ContractError(_("The amount of a contract made from a quote is its quote's total: change the quote."))
    if "amount" in values and values["amount"] <= 0:
        raise ContractError(_("The contract amount must be positive."))
    start, end = values.get("start_date", contract.start_date), values.get("end_date", contract.end_date)
    if start and end and end < start:
        raise ContractError(_("The end date comes before the start date."))
    for name, value in values.items():
        setattr(contract, name, value)


def cancel(contract: Contract) -> None:
    """A draft that will not be signed: kept (with its number) as cancelled."""
    _require_draft(contract)
    contract.status = "cancelled"


class InApproval(ContractError):
    """The contract is in an approval process: only the process changes it now."""


def _require_draft(contract: Contract) -> None:
    if contract.status == "in_approval":
        raise InApproval(_("Contract %(number)s is in approval (process #%(id)s): it cannot be changed until the "
                           "approval ends.", number=contract.number, id=contract.approval_instance_id))
    if contract.status != "draft":
        raise ContractError(_("Contract %(number)s is %(status)s: only a draft can be changed.",
                              number=contract.number, status=status_label(contract.status)))


def terminate(contract: Contract, on: dt.date) -> None:
    _require(contract, "active")
    contract.status, contract.terminated_on = "terminated", on


def expire_ended(session: Session, today: dt.date) -> int:
    """Mark active contracts whose end date has passed as expired; returns how many."""
    ended = list(session.scalars(select(Contract).where(Contract.status == "active", Contract.end_date < today)))
    for contract in ended:
        contract.status = "expired"
    return len(ended)


def _require(contract: Contract, status: str) -> None:
    if contract.status != status:
        raise ContractError(_("Contract %(number)s is %(status)s, not %(expected)s.", number=contract.number,
                              status=status_label(contract.status), expected=status_label(status)))
