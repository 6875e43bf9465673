"""Every user task of the order and service processes can be completed from its form definition alone.

Values come from the generic filler (initial values, else one valid value per field type); the only
choices given steer gateways, so that each task is reached at least once.
"""

import datetime as dt

from sqlalchemy import select

from engine.models import HumanTask
from tests.service.test_service import start
from tests.support.api_driver import user_task_ids

from .driver import ORDER_FILES
from .test_contract_approval import quote_to_contract, submit
from .test_payment_collection import make_plan


def test_every_user_task_completes_from_its_form(desk, shop, settle_jobs):
    sales = desk.user("sales")
    sales.platform = desk.platform
    contract_id = quote_to_contract(sales, shop, "prospect", [("HULL", "10", "0")])
    approval = submit(sales, contract_id)
    for name in ("ca_finance_review", "ca_legal_review", "ca_director_approval", "ca_sd_approval", "ca_sign"):
        desk.do(approval, name)
    assert desk.instance(approval).status == "completed"

    plan_id = make_plan(desk, contract_id, [("Advance", dt.date.today() - dt.timedelta(days=3), "10", "")])
    assert desk.user("finance").post(f"/payments/plans/{plan_id}/collect").status_code == 302
    for _ in range(3):
        settle_jobs()
    [line_instance] = {row.instance_id for row in ready_tasks(desk.platform, "payment_collection")}
    desk.do(line_instance, "pc_chase")
    desk.do(line_instance, "pc_record")
    assert desk.instance(line_instance).status == "completed"

    service = start(desk, shop)
    for name in ("sr_classify", "sr_phone", "sr_prepare"):
        desk.do(service, name)
    desk.do(service, "sr_confirm", customer_confirmed=True)
    for name in ("sr_dispatch", "sr_carry_out"):
        desk.do(service, name)
    desk.do(service, "sr_follow_up", complaint=True)
    for name in ("sr_resolve", "sr_settle"):
        desk.do(service, name)
    assert desk.instance(service).status == "completed"

    complaint = start(desk, shop, channel="complaint", request_type="complaint")
    desk.do(complaint, "sr_classify", handling="complaint")
    desk.do(complaint, "sr_complaint")
    assert desk.instance(complaint).status == "completed"

    declared = set().union(*(user_task_ids(f) for f in ORDER_FILES if f.endswith(".bpmn")))
    assert declared == {name for name, _ in desk.done}


def ready_tasks(platform, key: str) -> list[HumanTask]:
    with platform.sessions() as session:
        return list(session.scalars(select(HumanTask).where(HumanTask.process_key == key,
                                                            HumanTask.status == "ready")))
