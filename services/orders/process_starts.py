"""Order use cases that start processes: submit a contract for approval, collect a payment plan's lines."""

from __future__ import annotations

from sqlalchemy.orm import Session

from crm.orders.contracts import Contract, ContractError
from crm.orders.payments import PaymentError, PaymentPlan
from engine.models import ProcessInstance
from engine.runtime import Actor, ProcessEngine
from i18n import _

APPROVAL_PROCESS = "contract_approval"
COLLECTION_PROCESS = "payment_collection"


def submit_for_approval(session: Session, engine: ProcessEngine, contract_id: int, actor: Actor) -> ProcessInstance:
    """Start the approval of a draft contract (the process marks it in approval)."""
    contract = session.get(Contract, contract_id)
    if contract is None or contract.status != "draft":
        raise ContractError(_("Only a draft contract can be submitted for approval."))
    return engine.start(session, APPROVAL_PROCESS, {"contract_id": contract.id, "customer_id": contract.customer_id},
                        actor)


def start_collection(session: Session, engine: ProcessEngine, plan_id: int, actor: Actor) -> list[ProcessInstance]:
    """One collection instance for every open line of the plan that has none yet."""
    plan = session.get(PaymentPlan, plan_id)
    if plan is None:
        raise PaymentError(_("There is no payment plan %(id)s.", id=plan_id))
    lines = [line for line in plan.lines if line.status != "settled" and line.collection_instance_id is None]
    if not lines:
        raise PaymentError(_("Every open line of this plan is already being collected."))
    return [engine.start(session, COLLECTION_PROCESS, {"plan_line_id": line.id, "customer_id": plan.customer_id},
                         actor) for line in lines]
