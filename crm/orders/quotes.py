"""Quotes: priced lines, a quote discount, tax and a validity date; an accepted quote becomes a contract."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from crm import formatting
from crm.accounts.users import User
from crm.base import CrmBase, utcnow
from crm.customers.history import record_event
from crm.customers.models import Customer
from crm.money import ZERO, Percent, less_percent, share, to_cents
from crm.numbering import assign_number
from crm.orders.catalog import Product
from crm.orders.errors import OrderError
from crm.orders.labels import status_label
from crm.orders.line_items import PricedLine
from i18n import _, _l

QUOTE_STATUSES = ("draft", "sent", "accepted", "rejected", "superseded")
"""``superseded``: a sent quote replaced by its next revision (:func:`revise`)."""
_NEXT = {"draft": ("sent", "accepted", "rejected"), "sent": ("accepted", "rejected")}


class QuoteError(OrderError):
    """A quote cannot be changed this way."""


class StaleQuote(QuoteError):
    """The quote changed since the form was filled in: the user must reload, not overwrite."""


class Quote(CrmBase):
    __tablename__ = "quote"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str | None] = mapped_column(String(30), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"), index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    discount_percent: Mapped[Decimal] = mapped_column(Percent, default=ZERO)
    tax_percent: Mapped[Decimal] = mapped_column(Percent, default=ZERO)
    valid_until: Mapped[dt.date]
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[dt.datetime | None]
    opportunity_id: Mapped[int | None] = mapped_column(ForeignKey("opportunity.id"), index=True)
    revision: Mapped[int] = mapped_column(default=1)
    revision_of_id: Mapped[int | None] = mapped_column(ForeignKey("quote.id"), index=True)
    """The sent quote this one revises (its number gets ``-R<revision>``)."""
    currency: Mapped[str] = mapped_column(String(3), default=formatting.site_currency)
    """ISO 4217 code of every amount of the quote (default the site's ``CRM_CURRENCY``)."""
    language: Mapped[str] = mapped_column(String(10), default="", server_default="")
    """The language of the printed quote and of a contract made from it (``zh_CN``, ``en``; empty: the site's)."""
    discount_version: Mapped[int | None]
    """Version of the grade terms decision table that gave the overall discount (None: the discount was typed)."""
    payment_days: Mapped[int | None]
    """Days the customer has to pay, by grade (the grade terms table); the default of a contract's payment terms."""
    version: Mapped[int] = mapped_column(default=1)
    """Raised by every change of a draft: a form that carries an older one was filled in before someone saved."""
    updated_by: Mapped[str] = mapped_column(String(100), default="")
    updated_at: Mapped[dt.datetime | None]

    customer: Mapped[Customer] = relationship()
    owner: Mapped[User | None] = relationship()
    lines: Mapped[list[QuoteLine]] = relationship(
        back_populates="quote", order_by="QuoteLine.position", cascade="all, delete-orphan"
    )

    def is_expired(self, today: dt.date) -> bool:
        return self.status in ("draft", "sent") and self.valid_until < today


class QuoteLine(PricedLine, CrmBase):
    __tablename__ = "quote_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    quote_id: Mapped[int] = mapped_column(ForeignKey("quote.id", ondelete="CASCADE"), index=True)

    quote: Mapped[Quote] = relationship(back_populates="lines")

    @property
    def exact_amount(self) -> Decimal:
        return less_percent(self.quantity * self.unit_price, self.discount_percent)

    @property
    def amount(self) -> Decimal:
        return to_cents(self.exact_amount)


@dataclass(frozen=True)
class Totals:
    """A quote's or contract's figures, each rounded once from the exact value."""

    subtotal: Decimal
    discount: Decimal
    net: Decimal
    tax: Decimal
    total: Decimal


def totals(exact_line_amounts: list[Decimal], discount_percent: Decimal, tax_percent: Decimal) -> Totals:
    """Subtotal, discount, net, tax and total of lines (unrounded line amounts in, cents out)."""
    subtotal = sum(exact_line_amounts, Decimal(0))
    discount = share(subtotal, discount_percent)
    net = subtotal - discount
    tax = share(net, tax_percent)
    return Totals(*(to_cents(v) for v in (subtotal, discount, net, tax, net + tax)))


def quote_totals(quote: Quote) -> Totals:
    return totals([line.exact_amount for line in quote.lines], quote.discount_percent, quote.tax_percent)


def create_quote(
    session: Session, customer: Customer, owner: User | None, title: str, valid_until: dt.date,
    *, discount_percent: Decimal = ZERO, tax_percent: Decimal = ZERO, notes: str = "", currency: str | None = None,
    language: str = "", discount_version: int | None = None, payment_days: int | None = None,
) -> Quote:
    """A draft quote with a number, in ``currency`` (default the site's), printed in ``language`` (empty: the
    site's); ``discount_version`` names the grade terms table version the discount came from."""
    _check_percent(discount_percent, "discount")
    _check_percent(tax_percent, "tax")
    quote = Quote(customer=customer, owner=owner, title=title, valid_until=valid_until, notes=notes,
                  discount_percent=Decimal(discount_percent), tax_percent=Decimal(tax_percent),
                  currency=currency or formatting.site_currency(), language=language,
                  discount_version=discount_version, payment_days=payment_days)
    assign_number(session, quote, "Q")
    return quote


def add_line(
    session: Session, quote: Quote, quantity: Decimal, *, product: Product | None = None,
    description: str = "", unit_price: Decimal | None = None, discount_percent: Decimal = ZERO, by: str = "",
) -> QuoteLine:
    """Add a line to a draft quote; price and description default to the product's."""
    if quote.status != "draft":
        _draft(quote)
    if product is None and (unit_price is None or not description):
        raise QuoteError(_("A line without a product needs a description and a unit price."))
    if Decimal(quantity) <= 0:
        raise QuoteError(_("The quantity must be positive."))
    price = Decimal(unit_price if unit_price is not None else product.unit_price)
    if price < 0:
        raise QuoteError(_("The unit price cannot be negative."))
    _check_percent(discount_percent, "line_discount")
    line = QuoteLine(
        position=len(quote.lines) + 1, product=product, description=description or product.name,
        quantity=Decimal(quantity), unit_price=price, discount_percent=Decimal(discount_percent),
    )
    quote.lines.append(line)
    _touched(quote, by)
    session.flush()
    return line


def remove_line(session: Session, quote: Quote, line_id: int, by: str = "") -> None:
    """Delete a line of a draft quote; the others are numbered again from 1."""
    _draft(quote)
    line = next((line for line in quote.lines if line.id == line_id), None)
    if line is None:
        raise QuoteError(_("No such line on this quote."))
    quote.lines.remove(line)
    for position, other in enumerate(quote.lines, start=1):
        other.position = position
    _touched(quote, by)
    session.flush()


def move_line(session: Session, quote: Quote, line_id: int, step: int, by: str = "") -> None:
    """Move a line of a draft quote one place up (``step`` -1) or down (+1)."""
    _draft(quote)
    lines = list(quote.lines)
    index = next((i for i, line in enumerate(lines) if line.id == line_id), None)
    if index is None or step not in (-1, 1):
        raise QuoteError(_("No such line on this quote."))
    other = index + step
    if 0 <= other < len(lines):
        lines[index].position, lines[other].position = lines[other].position, lines[index].position
        _touched(quote, by)
    session.flush()


def edit_line(
    session: Session, quote: Quote, line_id: int, by: str, *, version: int | None, product: Product | None,
    description: str, quantity: Decimal, unit_price: Decimal, discount_percent: Decimal,
) -> QuoteLine:
    """Change a line of a draft quote in place (its position stays); ``version`` is the form's (see
    :func:`check_version`)."""
    _draft(quote)
    check_version(quote, version)
    line = next((line for line in quote.lines if line.id == line_id), None)
    if line is None:
        raise QuoteError(_("No such line on this quote."))
    if Decimal(quantity) <= 0 or Decimal(unit_price) < 0 or not description:
        raise QuoteError(_("A line needs a description, a positive quantity and a unit price of 0 or more."))
    _check_percent(discount_percent, "line_discount")
    line.product, line.description = product, description
    line.quantity, line.unit_price, line.discount_percent = quantity, unit_price, discount_percent
    _touched(quote, by)
    session.flush()
    return line


def edit_terms(quote: Quote, by: str, *, version: int | None, title: str, valid_until: dt.date,
               discount_percent: Decimal, tax_percent: Decimal, notes: str, language: str | None = None) -> None:
    """Change a draft quote's title, validity date, overall discount, tax, notes and document language."""
    _draft(quote)
    check_version(quote, version)
    if not title:
        raise QuoteError(_("A quote needs a title."))
    _check_percent(discount_percent, "discount")
    _check_percent(tax_percent, "tax")
    quote.title, quote.valid_until, quote.notes = title, valid_until, notes
    if Decimal(discount_percent) != quote.discount_percent:
        quote.discount_version = None  # typed now, no longer the table's
    quote.discount_percent, quote.tax_percent = discount_percent, tax_percent
    if language is not None:
        quote.language = language
    _touched(quote, by)


def check_version(quote: Quote, version: int | None) -> None:
    """Raise :class:`StaleQuote` when the form's ``version`` is not the quote's current one."""
    if version is not None and version != quote.version:
        if quote.updated_at is None:
            raise StaleQuote(_("This quote was changed meanwhile: reload the page and make your change again."))
        raise StaleQuote(_("This quote was changed by %(name)s at %(moment)s: reload the page and make your change "
                           "again.", name=quote.updated_by or _("someone"),
                           moment=formatting.datetime(quote.updated_at)))


def _touched(quote: Quote, by: str) -> None:
    quote.version = (quote.version or 0) + 1
    quote.updated_by, quote.updated_at = by, utcnow()


def revise(session: Session, quote: Quote, by: str) -> Quote:
    """A sent quote's next revision: a draft copy with its lines, numbered ``<first number>-R<revision>``; the
    sent one becomes ``superseded`` (it can no longer be accepted) and the customer's timeline says so."""
    if quote.status != "sent":
        raise QuoteError(_("Quote %(number)s is %(status)s: only a sent quote is revised.", number=quote.number,
                           status=status_label(quote.status)))
    revision = Quote(customer_id=quote.customer_id, owner_id=quote.owner_id, opportunity_id=quote.opportunity_id,
                     title=quote.title, valid_until=quote.valid_until, notes=quote.notes,
                     discount_percent=quote.discount_percent, tax_percent=quote.tax_percent,
                     discount_version=quote.discount_version, payment_days=quote.payment_days,
                     currency=quote.currency, language=quote.language, revision=quote.revision + 1,
                     revision_of_id=quote.id)
    revision.lines = [QuoteLine(position=line.position, product_id=line.product_id, description=line.description,
                                quantity=line.quantity, unit_price=line.unit_price,
                                discount_percent=line.discount_percent, unit_cost=line.unit_cost)
                      for line in quote.lines]
    session.add(revision)
    session.flush()
    first = quote.number.rsplit("-R", 1)[0] if quote.revision > 1 else quote.number
    revision.number = f"{first}-R{revision.revision}"
    quote.status = "superseded"
    record_event(session, quote.customer_id, "quote_revised", by,
                 _("Quote %(number)s superseded by revision %(revision)s", number=quote.number,
                   revision=revision.number))
    session.flush()
    return revision


def _draft(quote: Quote) -> None:
    if quote.status != "draft":
        raise QuoteError(_("Quote %(number)s is %(status)s: only drafts can be changed.", number=quote.number,
                           status=status_label(quote.status)))


def set_status(quote: Quote, status: str, today: dt.date) -> None:
    """Move a quote on (draft -> sent -> accepted/rejected); an expired quote cannot be accepted."""
    if status not in _NEXT.get(quote.status, ()):
        raise QuoteError(_("Quote %(number)s is %(status)s and cannot become %(next)s.", number=quote.number,
                           status=status_label(quote.status), next=status_label(status)))
    if status in ("sent", "accepted") and not quote.lines:
        raise QuoteError(_("A quote needs at least one line."))
    if status == "accepted" and quote.valid_until < today:
        raise QuoteError(_("Quote %(number)s expired on %(date)s.", number=quote.number,
                           date=formatting.date(quote.valid_until)))
    quote.status = status
    if status in ("accepted", "rejected"):
        quote.decided_at = utcnow()


_PERCENT_REFUSALS = {
    "discount": _l("The discount must be a percentage from 0 to 100."),
    "line_discount": _l("The line discount must be a percentage from 0 to 100."),
    "tax": _l("The tax must be a percentage from 0 to 100."),
}


def _check_percent(value: Decimal, what: str) -> None:
    if not Decimal(0) <= Decimal(value) <= Decimal(100):
        raise QuoteError(str(_PERCENT_REFUSALS[what]))
