"""A salesperson's daily, weekly or monthly report: the period's figures, their own summary, the manager's review.

One row per person, kind and period (unique): generation inserts it with ``ON CONFLICT DO NOTHING``, so two
schedulers or a retry create it once. Status: ``open`` (to write) -> ``submitted`` -> ``accepted``, or
``returned`` (to revise) -> ``submitted`` again.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from crm.accounts.users import User
from crm.base import CrmBase, utcnow
from i18n import _, _l, _lp

REPORT_KINDS = {"daily": _l("Daily"), "weekly": _l("Weekly"), "monthly": _l("Monthly")}
REPORT_STATUSES = {"open": _l("To write"), "submitted": _l("Submitted"), "returned": _l("Returned"),
                   "accepted": _lp("report status", "Accepted")}
REVIEW_DECISIONS = ("accept", "return")


class ReportStateError(ValueError):
    """The report is not in a state that allows this step."""


class PeriodicReport(CrmBase):
    """One salesperson's report for one period (``period_start`` .. ``period_end``, both included)."""

    __tablename__ = "periodic_report"
    __table_args__ = (UniqueConstraint("owner_id", "kind", "period_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    period_start: Mapped[dt.date] = mapped_column(index=True)
    period_end: Mapped[dt.date]
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    figures: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    figures_at: Mapped[dt.datetime | None]
    summary: Mapped[str] = mapped_column(Text, default="")
    problems: Mapped[str] = mapped_column(Text, default="")
    next_plan: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[dt.datetime | None]
    times_submitted: Mapped[int] = mapped_column(default=0)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    manager_comment: Mapped[str] = mapped_column(Text, default="")
    reviewed_at: Mapped[dt.datetime | None]
    instance_id: Mapped[int | None] = mapped_column(index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    owner: Mapped[User] = relationship(foreign_keys=[owner_id])
    reviewer: Mapped[User | None] = relationship(foreign_keys=[reviewer_id])

    @property
    def kind_label(self) -> str:
        return str(REPORT_KINDS.get(self.kind, self.kind))

    @property
    def status_label(self) -> str:
        return str(REPORT_STATUSES.get(self.status, self.status))


def create_once(session: Session, owner_id: int, kind: str, start: dt.date, end: dt.date) -> PeriodicReport | None:
    """The new report of ``owner_id`` for the period, or None when it exists already (made by anyone, ever).

    The unique constraint decides: a second scheduler inserting the same period at the same time waits for the
    first one's commit and then inserts nothing.
    """
    if kind not in REPORT_KINDS:
        raise ValueError(f"unknown report kind {kind!r}")
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (dialect.insert(PeriodicReport)
                 .values(owner_id=owner_id, kind=kind, period_start=start, period_end=end, status="open",
                         summary="", problems="", next_plan="", times_submitted=0, manager_comment="",
                         created_at=utcnow())
                 .on_conflict_do_nothing(index_elements=["owner_id", "kind", "period_start"])
                 .returning(PeriodicReport.id))
    new_id = session.execute(statement).scalar()
    return session.get(PeriodicReport, new_id) if new_id is not None else None


def record_figures(report: PeriodicReport, figures: dict[str, Any]) -> None:
    """Keep the period's objective part on the report."""
    report.figures, report.figures_at = figures, utcnow()


def submit(report: PeriodicReport, summary: str, problems: str, next_plan: str) -> None:
    """The salesperson's part, sent to the manager; only a report being written or returned may be submitted."""
    if report.status not in ("open", "returned"):
        raise ReportStateError(_("This report is %(status)s: it cannot be submitted.", status=report.status_label))
    report.summary, report.problems, report.next_plan = summary, problems, next_plan
    report.status, report.submitted_at = "submitted", utcnow()
    report.times_submitted += 1


def review(report: PeriodicReport, reviewer: User | None, decision: str, comment: str) -> None:
    """The manager accepts the submitted report or returns it to be revised, with a comment."""
    if decision not in REVIEW_DECISIONS:
        raise ValueError(f"unknown review decision {decision!r}")
    if report.status != "submitted":
        raise ReportStateError(_("This report is %(status)s: it cannot be reviewed.", status=report.status_label))
    report.status = "accepted" if decision == "accept" else "returned"
    report.reviewer, report.manager_comment, report.reviewed_at = reviewer, comment, utcnow()


def find(session: Session, owner_ids: set[int] | None, *, kind: str | None = None, owner_id: int | None = None,
         start: dt.date | None = None, limit: int = 200) -> list[PeriodicReport]:
    """Reports of the owners in ``owner_ids`` (None: everyone's), newest period first, optionally narrowed."""
    query = select(PeriodicReport).order_by(PeriodicReport.period_start.desc(), PeriodicReport.kind,
                                             PeriodicReport.owner_id).limit(limit)
    if owner_ids is not None:
        query = query.where(PeriodicReport.owner_id.in_(owner_ids or {0}))
    if kind:
        query = query.where(PeriodicReport.kind == kind)
    if owner_id is not None:
        query = query.where(PeriodicReport.owner_id == owner_id)
    if start is not None:
        query = query.where(PeriodicReport.period_start == start)
    return list(session.scalars(query))
