"""Merging a duplicate customer: its records move to the survivor, the merge is on both timelines, the duplicate
stays (inactive) and points at the survivor; only administrators and information officers merge."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import func, select

from crm.customers.models import Contact, Customer
from crm.sales.activities import Activity, plan_activity
from crm.sales.opportunities import Opportunity, create_opportunity
from engine.models import HumanTask, InstanceEvent, ProcessInstance
from engine.state import current_data


def _fill(platform, customer_id: int, contact: str, main: bool) -> None:
    with platform.sessions.begin() as session:
        customer = session.get(Customer, customer_id)
        customer.contacts.append(Contact(name=contact, is_main=main))
        plan_activity(session, customer, customer.owner, "call", f"Call {contact}", dt.date.today())
        create_opportunity(session, customer, f"Tug for {contact}", Decimal("1000"), "sales")


def _count(session, model, customer_id: int) -> int:
    return session.scalar(select(func.count()).select_from(model).where(model.customer_id == customer_id))


def test_merge_moves_everything_to_the_survivor(platform, login, actors, make_customer, sales_processes):
    survivor_id, duplicate_id = make_customer("上海船舶重工有限公司"), make_customer("上海船舶重工")
    _fill(platform, survivor_id, "王伟", True)
    _fill(platform, duplicate_id, "李娜", True)
    with platform.sessions.begin() as session:
        session.get(Customer, duplicate_id).registry_number = "91310000MA1FL8LQ34"
        instance = platform.engine.start(session, "customer_visit", {"customer_id": duplicate_id}, actors["sales"])
        instance_id = instance.id
    info = login("info")
    preview = info.get(f"/customers/{survivor_id}/merge?duplicate_id={duplicate_id}").get_data(as_text=True)
    assert "2 contacts" in preview and "1 process instances" in preview
    assert info.post(f"/customers/{survivor_id}/merge", data={"duplicate_id": duplicate_id,
                                                             "confirm": "1"}).status_code == 302
    with platform.sessions() as session:
        for model, expected in ((Contact, 4), (Activity, 2), (Opportunity, 2), (ProcessInstance, 1)):
            assert (_count(session, model, survivor_id), _count(session, model, duplicate_id)) == (expected, 0), model
        assert session.get(ProcessInstance, instance_id).customer_id == survivor_id
        workflow = platform.engine.restore(session.get(ProcessInstance, instance_id))
        assert current_data(workflow)["customer_id"] == survivor_id  # the running process works on the survivor
        edits = session.scalars(select(InstanceEvent).where(InstanceEvent.instance_id == instance_id,
                                                            InstanceEvent.kind == "data_edited")).all()
        assert [(e.actor, e.message) for e in edits] == [("info", f"customer #{duplicate_id} merged into "
                                                                  f"#{survivor_id}")]
        assert _count(session, HumanTask, duplicate_id) == 0
        survivor, duplicate = session.get(Customer, survivor_id), session.get(Customer, duplicate_id)
        assert (duplicate.active, duplicate.merged_into_id) == (False, survivor_id)
        assert survivor.registry_number == "91310000MA1FL8LQ34"  # empty attributes filled from the duplicate
        assert [c.name for c in survivor.contacts if c.is_main] == ["王伟"]  # the survivor keeps its main contact
    page = info.get(f"/customers/{survivor_id}").get_data(as_text=True)
    assert "Customers merged" in page and f"(#{duplicate_id}) merged into" in page
    again = info.post(f"/customers/{survivor_id}/merge", data={"duplicate_id": duplicate_id, "confirm": "1"})
    assert again.status_code == 302 and "already merged" in info.get(again.headers["Location"]).get_data(as_text=True)


def test_only_administrators_and_information_officers_merge(login, make_customer):
    first, second = make_customer("A"), make_customer("B")
    for username, status in (("sales", 403), ("salesdir", 403), ("custdir", 403), ("info", 200), ("admin", 200)):
        assert login(username).get(f"/customers/{first}/merge?duplicate_id={second}").status_code == status, username
    assert login("sales").post(f"/customers/{first}/merge", data={"duplicate_id": second,
                                                                 "confirm": "1"}).status_code == 403
