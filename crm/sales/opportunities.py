"""Opportunity-centred selling: nine stages, each with a default win probability, and their history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Column, ForeignKey, Numeric, String, Table, Text, select
from sqlalchemy.orm import Mapped, Session, joinedload, mapped_column, relationship

from crm import formatting
from crm.accounts.users import User
from crm.base import CrmBase, utcnow
from crm.campaigns import campaigns as _campaigns  # noqa: F401  (the table campaign_id refers to)
from crm.customers.models import Customer
from crm.orders.catalog import Product
from crm.sales.labels import status_label
from i18n import _, _l

MONEY = Numeric(14, 2)


@dataclass(frozen=True)
class Stage:
    number: int
    label: object
    """Shown in the reader's language (a lazy message)."""
    probability: int
    """Default win probability in percent."""


STAGES: tuple[Stage, ...] = (
    Stage(1, _l("First contact & understanding needs"), 10),
    Stage(2, _l("Customer planning & phone invitation"), 20),
    Stage(3, _l("Visit & first survey"), 30),
    Stage(4, _l("First proposal"), 40),
    Stage(5, _l("Demo & technical exchange"), 50),
    Stage(6, _l("Requirement analysis & formal proposal"), 60),
    Stage(7, _l("Project evaluation"), 70),
    Stage(8, _l("Commercial negotiation"), 80),
    Stage(9, _l("Signing"), 90),
)
STAGE_BY_NUMBER = {s.number: s for s in STAGES}


opportunity_product = Table(
    "opportunity_product", CrmBase.metadata,
    Column("opportunity_id", ForeignKey("opportunity.id", ondelete="CASCADE"), primary_key=True),
    Column("product_id", ForeignKey("product.id"), primary_key=True),
)
"""The catalogue products an opportunity is about."""


class Opportunity(CrmBase):
    __tablename__ = "opportunity"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    stage: Mapped[int] = mapped_column(default=1, index=True)
    probability_override: Mapped[int | None]
    amount: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    expected_close: Mapped[dt.date | None]
    status_analysis: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)  # open | won | lost
    lost_reason: Mapped[str] = mapped_column(String(200), default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    instance_id: Mapped[int | None] = mapped_column(index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[dt.datetime | None]
    source: Mapped[str] = mapped_column(String(100), default="")
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaign.id"), index=True)
    """The marketing campaign that sourced the opportunity (crm/campaigns/campaigns.py)."""
    version: Mapped[int] = mapped_column(default=1)
    """Raised by every change: a form that carries an older one was filled in before someone else saved."""
    updated_by: Mapped[str] = mapped_column(String(100), default="")
    updated_at: Mapped[dt.datetime | None]

    customer: Mapped[Customer] = relationship()
    owner: Mapped[User | None] = relationship()
    products: Mapped[list[Product]] = relationship(secondary=opportunity_product, order_by=Product.code)
    history: Mapped[list[StageChange]] = relationship(back_populates="opportunity", order_by="StageChange.id")

    @property
    def probability(self) -> int:
        """The override if set, else the stage's default (0 when lost, 100 when won)."""
        if self.status != "open":
            return 100 if self.status == "won" else 0
        if self.probability_override is not None:
            return self.probability_override
        return STAGE_BY_NUMBER[self.stage].probability

    @property
    def weighted_amount(self) -> Decimal:
        return (self.amount * self.probability / 100).quantize(Decimal("0.01"))

    @property
    def stage_label(self) -> str:
        return str(STAGE_BY_NUMBER[self.stage].label)


class StageChange(CrmBase):
    """One row per stage move or status change: what the opportunity looked like from then on."""

    __tablename__ = "opportunity_stage_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("opportunity.id"), index=True)
    from_stage: Mapped[int | None]
    to_stage: Mapped[int]
    status: Mapped[str] = mapped_column(String(10), default="open")
    probability: Mapped[int]
    amount: Mapped[Decimal] = mapped_column(MONEY)
    expected_close: Mapped[dt.date | None]
    note: Mapped[str] = mapped_column(Text, default="")
    changed_by: Mapped[str] = mapped_column(String(100))
    changed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    instance_id: Mapped[int | None]

    opportunity: Mapped[Opportunity] = relationship(back_populates="history")


def _snapshot(session: Session, opp: Opportunity, from_stage: int | None, by: str, note: str,
              instance_id: int | None = None, at: dt.datetime | None = None) -> StageChange:
    change = StageChange(
        opportunity=opp, from_stage=from_stage, to_stage=opp.stage, status=opp.status,
        probability=opp.probability, amount=opp.amount, expected_close=opp.expected_close, note=note,
        changed_by=by, changed_at=at or utcnow(), instance_id=instance_id,
    )
    session.add(change)
    return change


class StaleEdit(ValueError):
    """The record changed since the form was filled in: the user must reload, not overwrite."""


def check_version(opp: Opportunity, version: int | None) -> None:
    """Raise :class:`StaleEdit` when the form's ``version`` is not the opportunity's current one."""
    if version is not None and version != opp.version:
        when = formatting.datetime(opp.updated_at) if opp.updated_at else _("an earlier time")
        raise StaleEdit(_("This opportunity was changed by %(who)s at %(when)s: reload the page and make your "
                          "change again.", who=opp.updated_by or _("someone"), when=when))


def _touched(opp: Opportunity, by: str) -> None:
    opp.version = (opp.version or 0) + 1
    opp.updated_by, opp.updated_at = by, utcnow()


def create_opportunity(
    session: Session, customer: Customer, name: str, amount: Decimal, by: str, *, owner: User | None = None,
    stage: int = 1, expected_close: dt.date | None = None, instance_id: int | None = None,
    at: dt.datetime | None = None, probability: int | None = None, source: str = "",
    products: list[Product] | None = None,
) -> Opportunity:
    """A new open opportunity with its first history row."""
    if stage not in STAGE_BY_NUMBER:
        raise ValueError(_("no stage %(stage)s", stage=stage))
    opp = Opportunity(customer=customer, name=name, amount=amount, stage=stage, expected_close=expected_close,
                      owner=owner or customer.owner, instance_id=instance_id, created_at=at or utcnow(),
                      status="open", probability_override=probability, source=source, products=products or [],
                      version=1, updated_by=by, updated_at=at or utcnow())
    session.add(opp)
    _snapshot(session, opp, None, by, "created", instance_id, at)
    session.flush()
    return opp


def edit_opportunity(
    session: Session, opp: Opportunity, by: str, *, version: int | None, name: str, stage: int,
    amount: Decimal, probability: int | None, expected_close: dt.date | None, source: str,
    products: list[Product],
) -> Opportunity:
    """Change an open opportunity's details; a changed stage, amount, probability or close date is history."""
    check_version(opp, version)
    if opp.status != "open":
        raise ValueError(_("the opportunity is %(status)s", status=status_label(opp.status)))
    if stage not in STAGE_BY_NUMBER:
        raise ValueError(_("no stage %(stage)s", stage=stage))
    before = (opp.stage, opp.amount, opp.probability_override, opp.expected_close)
    from_stage = opp.stage
    opp.name, opp.stage, opp.amount, opp.probability_override = name, stage, amount, probability
    opp.expected_close, opp.source, opp.products = expected_close, source, products
    if before != (opp.stage, opp.amount, opp.probability_override, opp.expected_close):
        _snapshot(session, opp, from_stage, by, "edited")
    _touched(opp, by)
    session.flush()
    return opp


def move_to_stage(
    session: Session, opp: Opportunity, stage: int, by: str, *, probability: int | None = None,
    amount: Decimal | None = None, expected_close: dt.date | None = None, analysis: str = "",
    instance_id: int | None = None,
) -> Opportunity:
    """Advance (or step back) an open opportunity; a given ``probability`` overrides the stage default."""
    if opp.status != "open":
        raise ValueError(_("the opportunity is %(status)s", status=status_label(opp.status)))
    if stage not in STAGE_BY_NUMBER:
        raise ValueError(_("no stage %(stage)s", stage=stage))
    if probability is not None and not 0 <= probability <= 100:
        raise ValueError(_("probability is a percentage (0-100)"))
    from_stage = opp.stage
    opp.stage = stage
    opp.probability_override = probability
    if amount is not None:
        opp.amount = amount
    if expected_close is not None:
        opp.expected_close = expected_close
    if analysis:
        opp.status_analysis = analysis
    _snapshot(session, opp, from_stage, by, analysis, instance_id)
    _touched(opp, by)
    session.flush()
    return opp


def close_opportunity(session: Session, opp: Opportunity, won: bool, by: str, *, reason: str = "",
                      instance_id: int | None = None) -> Opportunity:
    """Mark an open opportunity won (at the signing stage) or lost with a reason."""
    if opp.status != "open":
        raise ValueError(_("the opportunity is already %(status)s", status=status_label(opp.status)))
    from_stage = opp.stage
    opp.status, opp.closed_at = ("won" if won else "lost"), utcnow()
    if won:
        opp.stage = STAGES[-1].number
    else:
        opp.lost_reason = reason
    _snapshot(session, opp, from_stage, by, reason or opp.status, instance_id)
    _touched(opp, by)
    session.flush()
    return opp


@dataclass
class PipelineColumn:
    stage: Stage
    items: list[Opportunity]

    @property
    def total(self) -> Decimal:
        return sum((o.amount for o in self.items), Decimal("0"))

    @property
    def weighted(self) -> Decimal:
        return sum((o.weighted_amount for o in self.items), Decimal("0"))


def pipeline(session: Session, owner_ids: set[int] | None) -> list[PipelineColumn]:
    """Open opportunities by stage (``owner_ids`` None: everyone's), biggest first."""
    query = (select(Opportunity).where(Opportunity.status == "open").order_by(Opportunity.amount.desc())
             .options(joinedload(Opportunity.customer), joinedload(Opportunity.owner).lazyload(User.roles)))
    if owner_ids is not None:
        query = query.where(Opportunity.owner_id.in_(owner_ids))
    rows = list(session.scalars(query))
    return [PipelineColumn(stage, [o for o in rows if o.stage == stage.number]) for stage in STAGES]


def visible(opp: Opportunity, owner_ids: set[int] | None) -> bool:
    """Whether a viewer whose data scope is ``owner_ids`` may see this opportunity."""
    return owner_ids is None or opp.owner_id in owner_ids
