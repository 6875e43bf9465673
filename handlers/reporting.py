"""Service-task operations of the salespeople's periodic reports (bpmn/sales_report.bpmn); the work is in
services/reporting/periodic.py."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from crm.base import utcnow
from engine.services import HandlerContext, HandlerRegistry
from services.reporting import periodic


def register(registry: HandlerRegistry) -> None:
    @registry.register("reporting.fill_sales_report")
    def fill_sales_report(ctx: HandlerContext, report_id, zone):
        """Fill the report's objective part from the period's records (its days in the time zone ``zone``)."""
        report = periodic.fill(ctx.session, report_id, ZoneInfo(zone), utcnow())
        return {"report_id": report.id, "filled_at": report.figures_at.isoformat()}

    @registry.register("reporting.submit_sales_report")
    def submit_sales_report(ctx: HandlerContext, report_id, summary, problems, next_plan):
        """Keep the salesperson's part and mark the report submitted."""
        return periodic.submit(ctx.session, report_id, summary, problems, next_plan).status

    @registry.register("reporting.review_sales_report")
    def review_sales_report(ctx: HandlerContext, report_id, decision, comment):
        """Keep the manager's decision and comment: accepted, or returned to be revised."""
        return periodic.review(ctx.session, report_id, ctx.actor, decision, comment).status
