"""The sales demo data: enough customers, every stage, and work waiting in every sales lane."""

from __future__ import annotations

import time

from sqlalchemy import func, select

from crm.customers.behaviour import BehaviourEvent
from crm.customers.models import Contact, Customer
from crm.sales.opportunities import Opportunity
from demo import sales as demo_sales
from demo.users import create_demo_users


def test_demo_loads_quickly_and_fills_the_worklists(platform, login, sales_processes):
    started = time.monotonic()
    with platform.sessions() as session:
        message = demo_sales.load(platform, session, create_demo_users(session))
        session.commit()
        platform.relay.after_commit(session)
    if platform.settings.is_sqlite:  # the embedded default must stay quick to set up
        assert time.monotonic() - started < 30, message
    with platform.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Customer)) >= 200
        assert session.scalar(select(func.count(func.distinct(Contact.customer_id)))) >= 200
        assert session.scalar(select(func.count()).select_from(BehaviourEvent)) > 500
        stages = set(session.scalars(select(Opportunity.stage).where(Opportunity.status == "open")))
        assert stages == set(range(1, 10))
        assert {"won", "lost"} <= set(session.scalars(select(Opportunity.status)))
        assert demo_sales.load(platform, session, create_demo_users(session)) == "sales demo data already loaded"
    for username in ("sales", "info", "custdir", "salesdir", "mktdir", "finance", "engineer"):
        counts = login(username).get("/api/tasks").get_json()["counts"]
        assert counts["mine"] + counts["queue"] > 0, username
