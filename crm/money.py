"""Money: Decimal amounts in ``Numeric(14, 2)`` columns, rounded once, half up, to the cent."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import Numeric

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)

Money = Numeric(14, 2)
"""Column type of every amount."""
Percent = Numeric(5, 2)
"""Column type of discounts, tax rates and plan shares (0.00 to 100.00)."""
Quantity = Numeric(12, 3)
"""Column type of quantities and hours."""


def to_cents(value: Decimal | int | str) -> Decimal:
    """``value`` rounded half up to the cent: call it once, on the final figure."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def share(amount: Decimal, percent: Decimal) -> Decimal:
    """``percent`` % of ``amount``, unrounded."""
    return Decimal(amount) * Decimal(percent) / HUNDRED


def less_percent(amount: Decimal, percent: Decimal) -> Decimal:
    """``amount`` reduced by ``percent`` %, unrounded."""
    return Decimal(amount) - share(amount, percent)
