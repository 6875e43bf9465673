"""Payment plans over HTTP: percent split to the cent, reminders, escalation, partial payments, settlement, ageing."""

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from crm.orders.payments import PaymentPlan
from crm.orders.reminders import Reminder
from tests.support.timers import make_timers_due

from .driver import location_id
from .test_contract_approval import quote_to_contract, submit


@pytest.fixture
def active_contract(desk, shop):
    """An approved contract over 387,652.75 (3 engines less 2.5 %, less 5 %, plus 13 % tax)."""
    sales = desk.user("sales")
    sales.platform = desk.platform
    contract_id = quote_to_contract(sales, shop, "key", [("ENGINE", "3", "2.5")])
    instance_id = submit(sales, contract_id)
    desk.do(instance_id, "ca_director_approval", director_decision="approve")
    desk.do(instance_id, "ca_sign")
    return contract_id


def plan_lines(platform, plan_id: int) -> list[tuple]:
    with platform.sessions() as session:
        plan = session.get(PaymentPlan, plan_id)
        return [(line.label, line.amount, line.paid_amount, line.status, line.collection_instance_id)
                for line in plan.lines]


def make_plan(desk, contract_id: int, rows: list[tuple[str, dt.date, str, str]]) -> int:
    form = {}
    for number, (label, due, percent, amount) in enumerate(rows, start=1):
        form.update({f"label_{number}": label, f"due_date_{number}": due.isoformat(), f"percent_{number}": percent,
                     f"amount_{number}": amount})
    return location_id(desk.user("sales").post(f"/payments/contracts/{contract_id}/plans", form))


def test_percent_lines_add_up_to_the_contract_amount_to_the_cent(desk, active_contract):
    today = dt.date.today()
    plan_id = make_plan(desk, active_contract, [("Advance", today, "30", ""), ("Keel laid", today, "30", ""),
                                                ("Delivery", today, "40", "")])
    # 30 % = 116,295.825 -> cumulative rounding keeps the sum exact: 116,295.83 + 116,295.82 + 155,061.10
    assert [line[1] for line in plan_lines(desk.platform, plan_id)] == [
        Decimal("116295.83"), Decimal("116295.82"), Decimal("155061.10")]
    assert sum(line[1] for line in plan_lines(desk.platform, plan_id)) == Decimal("387652.75")


def test_a_plan_beyond_the_contract_amount_is_refused(desk, active_contract):
    today = dt.date.today()
    response = desk.user("sales").post(f"/payments/contracts/{active_contract}/plans", {
        "label_1": "Everything", "due_date_1": today.isoformat(), "amount_1": "387652.76"})
    assert response.headers["Location"].endswith(f"/contracts/{active_contract}")
    assert "would exceed the contract amount" in desk.user("sales").get(response.headers["Location"]).get_data(
        as_text=True)
    make_plan(desk, active_contract, [("Advance", today, "60", "")])
    second = desk.user("sales").post(f"/payments/contracts/{active_contract}/plans", {
        "label_1": "Rest and more", "due_date_1": today.isoformat(), "percent_1": "41"})
    assert "would exceed" in desk.user("sales").get(second.headers["Location"]).get_data(as_text=True)


def test_reminder_partial_payment_and_settlement(desk, active_contract, settle_jobs):
    due = dt.date.today() + dt.timedelta(days=20)
    plan_id = make_plan(desk, active_contract, [("Advance", due, "30", ""), ("Balance", due, "", "271356.92")])
    finance = desk.user("finance")
    assert finance.post(f"/payments/plans/{plan_id}/collect").status_code == 302
    first, second = plan_lines(desk.platform, plan_id)
    instance_id = first[4]
    assert desk.instance(instance_id).waiting_on == "" and desk.ready_names(instance_id) == ["pc_record"]
    assert desk.instance(instance_id).next_timer_at.date() == due - dt.timedelta(days=7)

    make_timers_due(desk.platform, instance_id, "pc_wait_reminder")
    settle_jobs()
    with desk.platform.sessions() as session:
        reminder = session.scalar(select(Reminder).where(Reminder.kind == "payment_due"))
        assert reminder.recipients == "finance, sales" and "116,295.83" in reminder.message

    task = desk.task(instance_id, "pc_record")
    assert finance.get(f"/api/tasks/{task.id}").get_json()["initial"]["amount_received"] == "116295.83"
    desk.do(instance_id, "pc_record", amount_received="100000.00", received_on=dt.date.today(),
            payment_reference="TT-1")
    assert plan_lines(desk.platform, plan_id)[0][1:4] == (Decimal("116295.83"), Decimal("100000.00"),
                                                          "partially_paid")
    task = desk.task(instance_id, "pc_record")
    assert finance.get(f"/api/tasks/{task.id}").get_json()["initial"]["amount_received"] == "16295.83"
    desk.do(instance_id, "pc_record", amount_received="16295.84", received_on=dt.date.today())
    detail = finance.get(f"/api/tasks/{desk.task(instance_id, 'pc_record').id}").get_json()
    assert detail["initial"]["payment_refused"] == "Only ¥16,295.83 is open on “Advance”."
    assert detail["initial"]["amount_received"] == "16295.83"
    desk.do(instance_id, "pc_record", amount_received="16295.83", received_on=dt.date.today())
    assert desk.instance(instance_id).status == "completed"
    assert plan_lines(desk.platform, plan_id)[0][1:4] == (Decimal("116295.83"), Decimal("116295.83"), "settled")
    assert second[1] == Decimal("271356.92")


def test_overdue_line_escalates_and_shows_in_the_ageing(desk, active_contract, settle_jobs):
    today = dt.date.today()
    plan_id = make_plan(desk, active_contract, [("Advance", today - dt.timedelta(days=45), "10", ""),
                                                ("Balance", today + dt.timedelta(days=60), "90", "")])
    assert desk.user("finance").post(f"/payments/plans/{plan_id}/collect").status_code == 302
    for _ in range(3):  # the overdue timer starts only after the (already due) reminder fired
        settle_jobs()
    instance_id = plan_lines(desk.platform, plan_id)[0][4]
    assert desk.ready_names(instance_id) == ["pc_chase", "pc_record"]  # both dates have passed already
    with desk.platform.sessions() as session:
        kinds = [r.kind for r in session.scalars(select(Reminder).where(Reminder.plan_line_id.is_not(None))
                                                   .order_by(Reminder.id))]
    assert kinds == ["payment_due", "payment_overdue"]
    desk.do(instance_id, "pc_chase", chase_result="Will pay next week", promised_on=today + dt.timedelta(days=7))

    page = desk.user("finance").get("/payments/receivables").get_data(as_text=True)
    assert "38,765.28" in page and "348,887.47" in page  # 31-60 days overdue; not yet due
    desk.do(instance_id, "pc_record", amount_received="38765.28", received_on=today)
    assert desk.instance(instance_id).status == "completed"
    page = desk.user("finance").get("/payments/receivables").get_data(as_text=True)
    assert "38,765.28" not in page and "348,887.47" in page
