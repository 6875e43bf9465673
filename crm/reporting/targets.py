"""KPI targets: per year and per company, team or salesperson, a KPI's baseline and target as set by an
administrator or director. Where none is set the KPI page derives them from the plan's rules
(:mod:`services.reporting.kpi_measures`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Numeric, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from crm.base import CrmBase, utcnow
from crm.orders.errors import OrderError
from i18n import _

SCOPE_KINDS = ("company", "team", "salesperson")
FIRST_YEAR, LAST_YEAR = 2000, 2100
Figure = Numeric(16, 2)


class KpiTarget(CrmBase):
    """One KPI's baseline and target for a year, for the company (``scope_id`` 0), a team or a salesperson."""

    __tablename__ = "kpi_target"
    __table_args__ = (UniqueConstraint("year", "kpi", "scope_kind", "scope_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    kpi: Mapped[str] = mapped_column(String(30))
    scope_kind: Mapped[str] = mapped_column(String(20), default="company")
    scope_id: Mapped[int] = mapped_column(default=0)
    baseline: Mapped[Decimal | None] = mapped_column(Figure)
    target: Mapped[Decimal | None] = mapped_column(Figure)
    updated_by: Mapped[str] = mapped_column(String(100), default="")
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class TargetError(OrderError):
    """A target that cannot be recorded as given."""


def set_target(session: Session, year: int, kpi: str, scope_kind: str, scope_id: int, baseline: Decimal | None,
               target: Decimal | None, by: str) -> KpiTarget | None:
    """Record a KPI's baseline and target for a year and scope; both empty removes it (the plan's rule applies)."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise TargetError(_("The year must be from %(first)s to %(last)s.", first=FIRST_YEAR, last=LAST_YEAR))
    if scope_kind not in SCOPE_KINDS or (scope_kind == "company") != (scope_id == 0):
        raise TargetError(_("Choose the company, a team or a salesperson."))
    row = session.scalar(select(KpiTarget).where(KpiTarget.year == year, KpiTarget.kpi == kpi,
                                                 KpiTarget.scope_kind == scope_kind, KpiTarget.scope_id == scope_id))
    if baseline is None and target is None:
        if row is not None:
            session.delete(row)
            session.flush()
        return None
    if row is None:
        row = KpiTarget(year=year, kpi=kpi, scope_kind=scope_kind, scope_id=scope_id)
        session.add(row)
    row.baseline, row.target, row.updated_by = baseline, target, by
    session.flush()
    return row


def targets_of(session: Session, year: int) -> dict[tuple[str, int], dict[str, KpiTarget]]:
    """The targets set for a year, by scope (``(scope_kind, scope_id)``) and KPI key."""
    found: dict[tuple[str, int], dict[str, KpiTarget]] = {}
    for row in session.scalars(select(KpiTarget).where(KpiTarget.year == year)):
        found.setdefault((row.scope_kind, row.scope_id), {})[row.kpi] = row
    return found
