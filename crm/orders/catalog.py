"""Products and service items: what quotes, contracts and service orders are made of."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from crm.base import CrmBase, utcnow
from crm.change_tracking import ChangeTracked
from crm.money import Money
from crm.orders.errors import OrderError
from i18n import _

PRODUCT_KINDS = ("product", "service_item")


class Product(ChangeTracked, CrmBase):
    """A sellable product, or a service item (with the engineer skill it needs) priced per unit."""

    __tablename__ = "product"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(50), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="product", index=True)
    unit: Mapped[str] = mapped_column(String(20), default="pc")
    unit_price: Mapped[Decimal] = mapped_column(Money)
    standard_cost: Mapped[Decimal | None] = mapped_column(Money)
    """What one unit costs us (none recorded: no margin); seen only by roles allowed to see costs."""
    skill: Mapped[str] = mapped_column(String(50), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(default=True)
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    """The ETag of the API: raised by every change (:mod:`crm.change_tracking`)."""
    updated_at: Mapped[dt.datetime | None] = mapped_column(default=utcnow, index=True)


def add_product(
    session: Session, code: str, name: str, unit_price: Decimal, *, kind: str = "product", unit: str = "pc",
    skill: str = "", description: str = "",
) -> Product:
    """Add a product or service item to the catalogue."""
    if kind not in PRODUCT_KINDS:
        raise OrderError(_("Unknown product kind %(kind)s.", kind=kind))
    product = Product(code=code, name=name, kind=kind, unit=unit, unit_price=Decimal(unit_price), skill=skill,
                      description=description)
    session.add(product)
    session.flush()
    return product


def edit_product(product: Product, values: dict) -> None:
    """Change a catalogue entry's checked ``values`` (code, name, kind, unit, unit_price, skill, description)."""
    if values.get("kind", product.kind) not in PRODUCT_KINDS:
        raise OrderError(f"unknown product kind {values['kind']!r}")
    for name, value in values.items():
        setattr(product, name, value)


def products(session: Session, kind: str | None = None) -> list[Product]:
    """Active catalogue entries, by code; only one ``kind`` if given."""
    query = select(Product).where(Product.active.is_(True)).order_by(Product.code)
    if kind:
        query = query.where(Product.kind == kind)
    return list(session.scalars(query))


def by_codes(session: Session, codes: list[str]) -> list[Product]:
    """The products with these codes, in the given order; unknown codes are refused."""
    found = {p.code: p for p in session.scalars(select(Product).where(Product.code.in_(codes)))}
    missing = [code for code in codes if code not in found]
    if missing:
        raise OrderError(_("No catalogue entry with code %(codes)s.", codes=", ".join(missing)))
    return [found[code] for code in codes]
