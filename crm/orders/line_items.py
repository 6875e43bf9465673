"""Priced lines: the fields a quote line has and a contract line copies from it."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from crm.money import ZERO, Money, Percent, Quantity
from crm.orders.catalog import Product


class PricedLine:
    """Mixin of a document line: position, product, description, quantity, unit price and line discount."""

    position: Mapped[int] = mapped_column(default=1)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("product.id"))
    description: Mapped[str] = mapped_column(String(300))
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    unit_price: Mapped[Decimal] = mapped_column(Money)
    discount_percent: Mapped[Decimal] = mapped_column(Percent, default=ZERO)

    @declared_attr
    def product(cls) -> Mapped[Product | None]:
        """The catalogue product the line is for, if any."""
        return relationship(Product)
