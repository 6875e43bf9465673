"""Service-task operations of bpmn/data_quality.bpmn ("check and fix customer data"); the work is in
services/quality/tasks.py."""

from __future__ import annotations

from engine.services import HandlerContext, HandlerRegistry
from services.quality import tasks


def register(registry: HandlerRegistry) -> None:
    @registry.register("quality.recheck")
    def recheck(ctx: HandlerContext, customer_ids):
        """Check the task's customers again; returns how many problems remain (0 ends the process)."""
        return tasks.recheck(ctx.session, list(customer_ids or []), ctx.services["settings"].quality_idle_days)
