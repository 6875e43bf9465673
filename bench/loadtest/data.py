"""Open work for the load test: the demo's processes in flight, many times over, across lanes and owners."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from crm.accounts.users import User
from crm.customers.models import Customer
from demo.sales import complete_step, flows
from engine.models import HumanTask
from engine.runtime import Actor

SERVICE_KINDS = (("phone", "repair"), ("web", "maintenance"), ("booking", "installation"), ("complaint", "repair"))


def generate(platform, rounds: int, seed: int = 18) -> dict[str, int]:
    """Start every demo flow ``rounds`` times (stopping at each of its waypoints) plus service requests.

    Customers are drawn from every owner's, so the salesperson lane's tasks spread over ``sales``,
    ``sales2`` and their director. Returns instance and open task counts.
    """
    rng = random.Random(seed)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    started = 0
    for _ in range(rounds):
        with platform.sessions() as session:
            actors = {u.username: Actor(u.username, u.role_keys) for u in session.scalars(select(User))}
            owned = list(session.scalars(select(Customer).where(Customer.owner_id.is_not(None))
                                         .options(selectinload(Customer.contacts))))
            for key, (starter, start_data, steps, stops) in flows(now.date(), now).items():
                for stop in stops:
                    customer = rng.choice(owned)
                    data = {**start_data, "customer_id": customer.id}
                    if "contact_id" in data:
                        data["contact_id"] = customer.contacts[0].id if customer.contacts else None
                    instance = platform.engine.start(session, key, data, actors[starter])
                    for task_name, values in steps[:stop]:
                        complete_step(platform, session, instance, task_name, values, actors)
                    started += 1
            for channel, kind in SERVICE_KINDS:
                platform.engine.start(session, "service_request", {
                    "customer_id": rng.choice(owned).id, "channel": channel, "request_type": kind,
                    "description": "Generated for the load test", "product_code": "ENG-2000"}, actors["agent"])
                started += 1
            session.commit()
            platform.relay.after_commit(session)
    with platform.sessions() as session:
        by_role = dict(session.execute(select(HumanTask.role, func.count()).where(HumanTask.status == "ready")
                                       .group_by(HumanTask.role)).all())
    return {"instances_started": started, "open_tasks": sum(by_role.values()), "open_tasks_by_role": by_role}
