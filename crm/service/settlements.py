"""Settlement of service fees: labour, materials and items under a service policy, less the customer's discount.

The settled amount is posted to finance as a receivable: a one-line payment plan on the customer's account.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from crm.base import CrmBase, utcnow
from crm.money import HUNDRED, ZERO, Money, Percent, Quantity, less_percent, share, to_cents
from crm.orders.payments import LineSpec, PaymentPlan, create_plan
from crm.service.labels import label
from crm.service.policy import FREE, ServicePolicy
from crm.service.service_desk import ServiceError, ServiceOrder
from i18n import _

PAYMENT_DAYS = 30
"""Service fees are due this many days after settlement."""


class Settlement(CrmBase):
    __tablename__ = "service_settlement"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("service_order.id"), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"), index=True)
    policy: Mapped[str] = mapped_column(String(30))
    labour_hours: Mapped[Decimal] = mapped_column(Quantity)
    labour_rate: Mapped[Decimal] = mapped_column(Money)
    labour_amount: Mapped[Decimal] = mapped_column(Money)
    materials_amount: Mapped[Decimal] = mapped_column(Money)
    items_amount: Mapped[Decimal] = mapped_column(Money)
    discount_percent: Mapped[Decimal] = mapped_column(Percent)
    policy_version: Mapped[int | None]
    """Version of the service policy decision table that gave the rate and shares (None: settled before tables)."""
    discount_version: Mapped[int | None]
    """Version of the grade terms table that gave the customer's discount (None: the discount was typed)."""
    amount: Mapped[Decimal] = mapped_column(Money)
    settled_by: Mapped[str] = mapped_column(String(100), default="")
    instance_id: Mapped[int | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    order: Mapped[ServiceOrder] = relationship()


@dataclass(frozen=True)
class Figures:
    """Exact (unrounded) charges; ``amount`` is the only figure rounded, once, at the end."""

    labour: Decimal
    materials: Decimal
    items: Decimal
    discount_percent: Decimal

    @property
    def subtotal(self) -> Decimal:
        return self.labour + self.materials + self.items

    @property
    def amount(self) -> Decimal:
        return to_cents(less_percent(self.subtotal, self.discount_percent))


def customer_discount(grade_discount: Decimal, goodwill_percent: Decimal = ZERO) -> Decimal:
    """The grade's discount plus any goodwill granted on a complaint, at most 100 %."""
    return min(Decimal(grade_discount) + Decimal(goodwill_percent), HUNDRED)


def figures(order: ServiceOrder, rules: ServicePolicy, discount_percent: Decimal) -> Figures:
    """The charges of a finished order under a policy's figures (a free service is charged nothing)."""
    if order.labour_hours is None:
        raise ServiceError(_("Order %(number)s has no recorded work yet.", number=order.number))
    if order.free_service:
        rules = ServicePolicy(rules.labour_rate, ZERO, ZERO, ZERO, rules.version)
    return Figures(
        labour=share(order.labour_hours * rules.labour_rate, rules.labour_share),
        materials=share(order.materials_cost, rules.materials_share),
        items=share(order.items_total, rules.items_share),
        discount_percent=Decimal(discount_percent),
    )


def settle(
    session: Session, order: ServiceOrder, policy_key: str, rules: ServicePolicy, discount_percent: Decimal, *,
    settled_by: str, today: dt.date, instance_id: int | None = None, discount_version: int | None = None,
) -> tuple[Settlement, PaymentPlan | None]:
    """Settle the order under ``rules`` (the policy's row of the service policy table) and post a non-zero
    amount as a receivable due in :data:`PAYMENT_DAYS` days."""
    if order.status != "done":
        raise ServiceError(_("Order %(number)s is %(status)s; only finished work can be settled.", number=order.number,
                             status=label("order_status", order.status)))
    if not ZERO <= Decimal(discount_percent) <= HUNDRED:
        raise ServiceError(_("The discount is a percentage from 0 to 100."))
    found = figures(order, rules, discount_percent)
    settlement = Settlement(
        order=order, customer_id=order.customer_id, policy=FREE if order.free_service else policy_key,
        labour_hours=order.labour_hours, labour_rate=rules.labour_rate,
        labour_amount=to_cents(found.labour), materials_amount=to_cents(found.materials),
        items_amount=to_cents(found.items), discount_percent=found.discount_percent, amount=found.amount,
        policy_version=rules.version, discount_version=discount_version,
        settled_by=settled_by, instance_id=instance_id,
    )
    session.add(settlement)
    session.flush()
    order.status = "settled"
    plan = None
    if settlement.amount > 0:
        title = _("Service fee %(number)s", number=order.number)
        plan = create_plan(
            session, order.customer,
            [LineSpec(title, today + dt.timedelta(days=PAYMENT_DAYS), amount=settlement.amount)],
            settlement_id=settlement.id, title=title, created_by=settled_by,
        )
    return settlement, plan
