"""The company's service policy: labour rate and which share of each charge the customer pays."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from crm.money import ZERO
from crm.orders.errors import OrderError
from i18n import _, _l


@dataclass(frozen=True)
class ServicePolicy:
    """Shares are percentages of the labour, materials and service-item charges the customer pays."""

    label: str  # translated when shown (a lazy string)
    labour_rate: Decimal
    labour_share: Decimal
    materials_share: Decimal
    items_share: Decimal


LABOUR_RATE = Decimal("280.00")
"""Per engineer hour."""

POLICIES: dict[str, ServicePolicy] = {
    "standard": ServicePolicy(_l("Standard rates"), LABOUR_RATE, Decimal(100), Decimal(100), Decimal(100)),
    "service_contract": ServicePolicy(_l("Service contract (labour included, items half price)"), LABOUR_RATE,
                                      Decimal(0), Decimal(100), Decimal(50)),
    "warranty": ServicePolicy(_l("Under warranty (free of charge)"), LABOUR_RATE, ZERO, ZERO, ZERO),
}
FREE = "warranty"
"""The policy a free service is settled under."""

GRADE_DISCOUNTS: dict[str, Decimal] = {"key": Decimal(10), "ordinary": Decimal(5), "prospect": ZERO}
"""Customer discount (percent) by grade."""


def policy(key: str) -> ServicePolicy:
    if key not in POLICIES:
        raise OrderError(_("Unknown service policy %(key)s; use one of %(keys)s.", key=key, keys=", ".join(POLICIES)))
    return POLICIES[key]


def estimate(items_total: Decimal, planned_hours: Decimal) -> Decimal:
    """Unrounded fee estimate under standard rates: service items plus planned labour."""
    return Decimal(items_total) + Decimal(planned_hours) * LABOUR_RATE
