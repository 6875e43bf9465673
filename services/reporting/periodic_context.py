"""The task panel of a sales report (context kind ``sales_report``): the period's figures beside the form."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from crm import formatting as fmt
from crm.reporting.periodic_reports import PeriodicReport
from i18n import _
from services.context_views import context_view
from services.reporting.periodic_figures import sections
from services.reporting.periods import containing


def shown(kind: str, value: Any) -> str:
    """A figure as people read it: money and percentages through :mod:`crm.formatting`."""
    if kind == "money":
        return fmt.money(value)
    if kind == "percent":
        return f"{fmt.number(value)} %"
    if kind == "count":
        return fmt.number(value)
    return value or fmt.EMPTY


def sales_report(session: Session, data: Mapping[str, Any]) -> dict:
    """Who, which period, the status, the salesperson's part once written and every figure of the period."""
    report = session.get(PeriodicReport, data.get("report_id") or 0)
    if report is None:
        return context_view("sales_report", _("No sales report recorded yet"), [])
    facts: list[tuple[str, Any]] = [
        (_("Salesperson"), report.owner.display_name), (_("Report"), report.kind_label),
        (_("Period"), period_label(report)), (_("Status"), report.status_label)]
    if report.times_submitted:
        facts += [(_("Summary"), report.summary), (_("Problems met"), report.problems),
                  (_("Plan for the next period"), report.next_plan)]
    rows = [(section, label, shown(kind, value)) for section, figures in sections(report.figures)
            for label, kind, value in figures]
    return context_view("sales_report", report_title(report), facts,
                        lines=((_("Section"), _("Figure"), _("Value")), rows),
                        links=[(_("Report"), f"/reports/periodic/{report.id}")])


def report_title(report: PeriodicReport) -> str:
    """``Monthly report of Sam Sales``."""
    return _("%(kind)s report of %(name)s", kind=report.kind_label, name=report.owner.display_name)


def period_label(report: PeriodicReport) -> str:
    """The report's period as people name it, in the current language."""
    return containing(report.kind, report.period_start).label
