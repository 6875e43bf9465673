"""Priced lines: the fields a quote line has and a contract line copies from it."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from crm.money import ZERO, Money, Percent, Quantity
from crm.orders.catalog import Product


class PricedLine:
    """Mixin of a document line: position, product, description, quantity, unit price, line discount and cost."""

    position: Mapped[int] = mapped_column(default=1)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("product.id"))
    description: Mapped[str] = mapped_column(String(300))
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    unit_price: Mapped[Decimal] = mapped_column(Money)
    discount_percent: Mapped[Decimal] = mapped_column(Percent, default=ZERO)
    unit_cost: Mapped[Decimal | None] = mapped_column(Money)
    """This line's own cost per unit, over the product's standard cost (:mod:`crm.orders.margins`)."""

    @declared_attr
    def product(cls) -> Mapped[Product | None]:
        """The catalogue product the line is for, if any."""
        return relationship(Product)


def unit_cost(line: PricedLine) -> Decimal | None:
    """What a unit of ``line`` costs us: the line's own cost, else its product's standard cost, else unknown."""
    if line.unit_cost is not None:
        return line.unit_cost
    return line.product.standard_cost if line.product is not None else None
