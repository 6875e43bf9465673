"""Payments and amount changes made outside a line's collection process (plan page, API), and how that process
learns of them: its open "Record payment" task is completed through the engine with ``line_changed``, and the
process (``bpmn/payment_collection.bpmn``) reads the line again — settled, it ends; else it asks for what is open.

Lock order, as the process's own step (the task, then the line): the collection instance first, then the line, so a
payment posted while someone completes the task waits for it and is checked against what it recorded."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy.orm import Session

from crm.orders import payments
from crm.orders.payments import Payment, PaymentPlanLine
from engine.errors import Conflict
from engine.models import HumanTask, ProcessInstance
from engine.runtime import Actor, ProcessEngine
from i18n import _
from services.orders import queries

RELOAD_TASK = "pc_reload"
"""The step of the collection process that reads a line changed outside it; versions without it cannot be told."""


class OpenCollection(NamedTuple):
    """A line's collection instance (row-locked) and its open "Record payment" task, read under that lock."""

    instance: ProcessInstance
    task: HumanTask


def lock_collection(session: Session, engine: ProcessEngine, line: PaymentPlanLine) -> OpenCollection | None:
    """The running collection instance of the line with its open "Record payment" task, the instance row-locked;
    a :class:`Conflict` when it has one but cannot be told (suspended, failed, or a version from before)."""
    if not line.collection_instance_id:
        return None
    instance = engine.lock_instance(session, line.collection_instance_id)
    task = queries.ready_collection_tasks(session, [instance.id]).get(instance.id)
    if task is None:
        return None
    if instance.status != "running" or RELOAD_TASK not in engine.load_version(instance.version).spec.task_specs:
        raise Conflict(_("This line is being collected by process #%(id)s: record the payment in its task "
                         "“%(task)s”.", id=instance.id, task=task.title))
    return OpenCollection(instance, task)


def tell_collection(session: Session, engine: ProcessEngine, collection: OpenCollection, actor: Actor) -> None:
    """Let the collection instance read its line again: its open "Record payment" task is completed as changed
    outside the process."""
    engine.complete(session, collection.task.id, {"line_changed": True}, actor, override=True,
                    locked=(collection.task, collection.instance))


def post_payment(session: Session, engine: ProcessEngine, line_id: int, amount: Decimal, received_on: dt.date, *,
                 reference: str, actor: Actor) -> Payment:
    """Record a payment on the line wherever it arrived (:func:`crm.orders.payments.record_payment`, its checks);
    a process collecting the line learns of it."""
    line = queries.payment_plan_line_by_id(session, line_id)
    collection = lock_collection(session, engine, line) if line is not None else None
    payment = payments.record_payment(session, line_id, amount, received_on, reference=reference,
                                      recorded_by=actor.username,
                                      instance_id=collection.instance.id if collection is not None else None)
    if collection is not None:
        tell_collection(session, engine, collection, actor)
    return payment
