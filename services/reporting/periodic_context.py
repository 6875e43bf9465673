"""The task panel of a sales report (context kind ``sales_report``): the period's figures beside the form."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from crm import formatting as fmt
from crm.reporting.periodic_reports import PeriodicReport
from services.context_views import context_view, missing
from services.reporting.periodic_figures import sections


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
        return missing("sales_report", "sales report")
    facts: list[tuple[str, Any]] = [
        ("Salesperson", report.owner.display_name), ("Report", report.kind_label),
        ("Period", (report.figures or {}).get("period", {}).get("label") or fmt.date(report.period_start)),
        ("Status", report.status_label)]
    if report.times_submitted:
        facts += [("Summary", report.summary), ("Problems", report.problems), ("Next period's plan", report.next_plan)]
    rows = [(section, label, shown(kind, value)) for section, figures in sections(report.figures)
            for label, kind, value in figures]
    return context_view("sales_report", f"{report.kind_label} report of {report.owner.display_name}", facts,
                        lines=(("Section", "Figure", "Value"), rows),
                        links=[("Report", f"/reports/periodic/{report.id}")])
