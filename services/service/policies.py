"""The service policy and the customer's discount, read from their deployed decision tables."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from crm.service.policy import ServicePolicy
from engine import decisions

POLICY_TABLE = "service_policy"
"""``bpmn/service_policy.dmn``: labour rate and the customer's shares, by policy."""
GRADE_TABLE = "customer_grade_terms"
"""``bpmn/customer_grade_terms.dmn``: discount, days to pay and priority of supply, by customer grade."""


@dataclass(frozen=True)
class GradeTerms:
    """What the grade terms table gives a customer's grade, and which version of it gave it."""

    discount_percent: Decimal
    payment_days: int
    supply_priority: int
    version: int


def grade_terms(session: Session, grade: str | None) -> GradeTerms | None:
    """The terms of a customer grade under the newest grade terms table; None while no such table is deployed."""
    try:
        decision = decisions.decide(session, GRADE_TABLE, {"customer_grade": grade or ""})
    except decisions.DecisionMissing:
        return None
    out = decision.outputs
    return GradeTerms(Decimal(out["grade_discount"]), int(out["payment_days"]), int(out["supply_priority"]),
                      decision.version)


def current_policy(session: Session, policy_key: str) -> ServicePolicy:
    """A policy's figures under the newest service policy table."""
    decision = decisions.decide(session, POLICY_TABLE, {"policy": policy_key})
    return ServicePolicy.from_outputs(decision.outputs, decision.version)


def instance_grade_version(session: Session, instance_id: int | None) -> int | None:
    """The version of the grade terms table a process instance carries (None: it carries none)."""
    return decisions.version_in_instance(session, instance_id, GRADE_TABLE) if instance_id else None


def instance_policy(session: Session, instance_id: int | None, outputs: dict) -> ServicePolicy:
    """The figures a process instance's own service policy table gave (``outputs``), with that table's version."""
    version = decisions.version_in_instance(session, instance_id, POLICY_TABLE) if instance_id else None
    return ServicePolicy.from_outputs(outputs, version)
