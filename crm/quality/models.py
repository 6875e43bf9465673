"""A run of the data-quality checks (counts per check, for the trend) and the findings they keep open.

A finding is one problem of one customer (``check`` + ``customer_id``): it stays ``open`` while later runs still
find it and becomes ``fixed`` on the first run that does not. ``instance_id`` names the "check and fix customer
data" process it was handed to.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from crm.base import CrmBase, utcnow

CHECKS = ("duplicate", "missing", "invalid_contact", "owner_inactive", "key_idle")
"""The checks, in the order the page lists them."""


class QualityRun(CrmBase):
    __tablename__ = "quality_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    finished_at: Mapped[dt.datetime | None]
    counts: Mapped[dict] = mapped_column(JSON, default=dict)
    """check -> open findings after the run."""
    period_key: Mapped[str | None] = mapped_column(String(40), unique=True)
    """The scheduled period the run is for (its start, ISO); unique, so two schedulers queue one run. None: a run
    asked for on the page."""


class QualityFinding(CrmBase):
    __tablename__ = "quality_finding"
    __table_args__ = (Index("ix_quality_finding_open", "status", "check"),
                      Index("ix_quality_finding_customer_check", "customer_id", "check"))

    id: Mapped[int] = mapped_column(primary_key=True)
    check: Mapped[str] = mapped_column(String(30))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"))
    detail: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(10), default="open")
    found_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    fixed_at: Mapped[dt.datetime | None]
    instance_id: Mapped[int | None] = mapped_column(index=True)
