"""Gross margin of quotes and contracts: net amount (after discounts, before tax) less what the lines cost us.

A line's unit cost is its own or its product's standard cost (:func:`crm.orders.line_items.unit_cost`); a
contract's lines keep the cost they had when the quote became the contract. Only roles allowed to see costs
(:func:`crm.accounts.access.sees_costs`) are shown any of this.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from crm.money import HUNDRED, to_cents
from crm.orders.catalog import Product
from crm.orders.contracts import Contract
from crm.orders.errors import OrderError
from crm.orders.line_items import PricedLine, unit_cost
from crm.orders.quotes import Quote, quote_totals
from i18n import _


@dataclass(frozen=True)
class Margin:
    """``net`` less ``cost``; ``missing`` lists the positions of lines without a cost (then no margin)."""

    net: Decimal
    cost: Decimal | None
    missing: tuple[int, ...] = ()

    @property
    def amount(self) -> Decimal | None:
        return None if self.cost is None else to_cents(self.net - self.cost)

    @property
    def percent(self) -> Decimal | None:
        """Margin over net amount, in percent to one decimal (none without a net amount or a cost)."""
        if self.cost is None or self.net <= 0:
            return None
        return ((self.net - self.cost) * HUNDRED / self.net).quantize(Decimal("0.1"))


def lines_cost(lines: list[PricedLine]) -> tuple[Decimal | None, tuple[int, ...]]:
    """The total cost of ``lines`` and the positions of those without one (then the total is None)."""
    missing = tuple(line.position for line in lines if unit_cost(line) is None)
    if missing or not lines:
        return None, missing
    return to_cents(sum((line.quantity * unit_cost(line) for line in lines), Decimal(0))), ()


def quote_margin(quote: Quote) -> Margin:
    """A quote's net amount (after line and overall discounts, before tax) less its lines' cost."""
    cost, missing = lines_cost(list(quote.lines))
    return Margin(quote_totals(quote).net, cost, missing)


def contract_margin(contract: Contract) -> Margin:
    """A contract's amount before tax less its lines' cost (a contract without lines has none)."""
    cost, missing = lines_cost(list(contract.lines))
    return Margin(contract.amount - (contract.tax_amount or 0), cost, missing)


def _cost(value: Decimal | None) -> Decimal | None:
    if value is None:
        return None
    if Decimal(value) < 0:
        raise OrderError(_("A cost cannot be negative."))
    return to_cents(value)


def set_line_cost(session: Session, quote: Quote, line_id: int, cost: Decimal | None) -> PricedLine:
    """Set (or clear, with None: the product's standard cost applies) a quote line's own unit cost."""
    line = next((line for line in quote.lines if line.id == line_id), None)
    if line is None:
        raise OrderError(_("No such line on this quote."))
    if quote.status == "superseded":
        raise OrderError(_("Quote %(number)s is superseded: change its latest revision.", number=quote.number))
    line.unit_cost = _cost(cost)
    session.flush()
    return line


def set_standard_cost(session: Session, product: Product, cost: Decimal | None) -> None:
    """Set (or clear) a product's standard cost per unit."""
    product.standard_cost = _cost(cost)
    session.flush()
