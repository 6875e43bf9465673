"""The company's service policy: labour rate and which share of each charge the customer pays.

The figures live in the decision table ``bpmn/service_policy.dmn`` (changed by deploying it, not in code);
this module holds what one row of it says and the arithmetic that uses it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from i18n import _l

POLICY_LABELS = {
    "standard": _l("Standard rates"),
    "service_contract": _l("Service contract (labour included, items half price)"),
    "warranty": _l("Under warranty (free of charge)"),
}
"""The policies the settlement form offers (rows of the service policy table), by key."""
FREE = "warranty"
"""The policy a free service is settled under."""


@dataclass(frozen=True)
class ServicePolicy:
    """Labour rate per engineer hour and the shares (percent) of labour, materials and items the customer pays.

    ``version`` is the version of the service policy table that gave these figures (None: not from a table).
    """

    labour_rate: Decimal
    labour_share: Decimal
    materials_share: Decimal
    items_share: Decimal
    version: int | None = None

    @classmethod
    def from_outputs(cls, outputs: Mapping, version: int | None) -> ServicePolicy:
        """The policy a table row gave (numbers as text, floats or decimals)."""
        return cls(*(Decimal(str(outputs[name])) for name in ("labour_rate", "labour_share", "materials_share",
                                                              "items_share")), version=version)


def estimate(items_total: Decimal, planned_hours: Decimal, labour_rate: Decimal) -> Decimal:
    """Unrounded fee estimate: service items plus planned labour at ``labour_rate``."""
    return Decimal(items_total) + Decimal(planned_hours) * Decimal(labour_rate)
