"""Service requests over HTTP: by phone, dispatched with a refused booking, free service, complaints, settlement."""

import datetime as dt
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from crm.accounts.users import User
from crm.notifications.messages import Notification
from crm.orders.payments import PaymentPlan
from crm.service.engineers import Booking, engineer_for_user
from crm.service.service_desk import ServiceOrder, ServiceRequest
from crm.service.settlements import Settlement
from tests.orders.driver import next_monday


def start(desk, shop, grade="ordinary", channel="phone", request_type="repair", **extra) -> int:
    response = desk.user("agent").api("POST", "/api/processes/service_request/instances", json={
        "customer_id": shop["customers"][grade], "channel": channel, "request_type": request_type,
        "description": "Generator trips under load", **extra})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def request_row(platform, instance_id: int) -> ServiceRequest:
    """The request with its product and order (items, bookings with engineers, follow-up) loaded."""
    order = selectinload(ServiceRequest.order)
    with platform.sessions() as session:
        return session.scalar(select(ServiceRequest).where(ServiceRequest.instance_id == instance_id).options(
            selectinload(ServiceRequest.product), order.selectinload(ServiceOrder.items),
            order.selectinload(ServiceOrder.follow_up),
            order.selectinload(ServiceOrder.bookings).selectinload(Booking.engineer)))


def settlement_of(platform, order_id: int) -> tuple[Settlement, list]:
    with platform.sessions() as session:
        settlement = session.scalar(select(Settlement).where(Settlement.order_id == order_id))
        plans = session.scalars(select(PaymentPlan).where(PaymentPlan.settlement_id == settlement.id)).all()
        return settlement, [(line.label, line.amount, line.due_date) for plan in plans for line in plan.lines]


def prepare(desk, instance_id, *, items, skill="electrical", hours="2.5", at=None, free=False):
    desk.do(instance_id, "sr_prepare", service_items=items, required_skill=skill, planned_hours=hours,
            scheduled_start=(at or next_monday()).isoformat(timespec="minutes"), free_service=free)


def test_solved_by_phone(desk, shop):
    instance_id = start(desk, shop, product_code="ENG-2000")
    desk.do(instance_id, "sr_classify", urgency="low", handling="phone")
    desk.do(instance_id, "sr_phone", resolution="Reset the breaker and raised the trip limit", solved=True)
    assert desk.instance(instance_id).status == "completed"
    found = request_row(desk.platform, instance_id)
    assert (found.status, found.handling, found.urgency, found.product.code) == ("resolved", "phone", "low", "ENG-2000")
    assert found.resolution.startswith("Reset the breaker") and found.order is None


def test_dispatched_service_with_a_refused_booking_settles_to_the_cent(desk, shop):
    monday = next_monday()
    agent = desk.user("agent")
    schedule = agent.get("/engineers/").get_data(as_text=True)
    assert "Ed Engineer" in schedule and "Eve Engineer" in schedule
    with desk.platform.sessions() as session:
        ed = engineer_for_user(session, shop["engineer2_user"]).id
    booked = agent.post("/engineers/bookings", {"engineer_id": ed, "starts_at": monday.replace(hour=11).isoformat(),
                                                "hours": "2", "note": "Sea trial"})
    assert booked.status_code == 302

    instance_id = start(desk, shop)
    desk.do(instance_id, "sr_classify", urgency="high", handling="service_order")
    prepare(desk, instance_id, items=["SVC-INSPECT", "SVC-PARTS"])
    assert desk.instance(instance_id).error_message is None
    task = desk.task(instance_id, "sr_confirm")
    assert agent.get(f"/api/tasks/{task.id}").get_json()["initial"]["fee_quote"] == "1483.33"  # 450+333.33+2.5*280
    desk.do(instance_id, "sr_confirm", customer_confirmed=True)

    detail = agent.get(f"/api/tasks/{desk.task(instance_id, 'sr_dispatch').id}").get_json()
    assert detail["initial"]["engineer"] == shop["engineer_user"]  # Ed is busy from 11:00
    suggestions = detail["initial"]["suggestions"]
    assert suggestions.startswith("Eve Engineer (") and "Ed Engineer" not in suggestions
    desk.do(instance_id, "sr_dispatch", engineer=shop["engineer2_user"])
    refused = agent.get(f"/api/tasks/{desk.task(instance_id, 'sr_dispatch').id}").get_json()["initial"]
    assert refused["booking_refused"] == f"Ed Engineer is already booked {monday.day} {monday:%b %Y} 11:00–13:00."
    desk.do(instance_id, "sr_dispatch")  # the proposal: Eve

    assert desk.task(instance_id, "sr_carry_out").assignee == "engineer"  # the booked engineer, not the whole lane
    desk.do(instance_id, "sr_carry_out", labour_hours="3.25", materials_cost="120.40", work_report="Replaced AVR")
    desk.do(instance_id, "sr_follow_up", attitude=5, quality=4, complaint=False)
    task = desk.task(instance_id, "sr_settle")
    assert desk.user("finance").get(f"/api/tasks/{task.id}").get_json()["initial"]["discount_percent"] == "5.00"
    desk.do(instance_id, "sr_settle", policy="standard")
    assert desk.instance(instance_id).status == "completed"

    found = request_row(desk.platform, instance_id)
    assert found.status == "closed" and found.order.status == "settled"
    assert [(b.engineer.name, b.starts_at) for b in found.order.bookings] == [("Eve Engineer", monday)]
    settlement, receivable = settlement_of(desk.platform, found.order.id)
    # labour 3.25 h x 280 = 910.00, materials 120.40, items 783.33: 1,813.73 less 5 % = 1,723.0435
    assert (settlement.labour_amount, settlement.materials_amount, settlement.items_amount) == (
        Decimal("910.00"), Decimal("120.40"), Decimal("783.33"))
    assert settlement.amount == Decimal("1723.04")
    assert receivable == [(f"Service fee {found.order.number}", Decimal("1723.04"),
                           dt.date.today() + dt.timedelta(days=30))]
    assert "1,723.04" in desk.user("finance").get("/payments/receivables").get_data(as_text=True)
    page = agent.get(f"/service/requests/{found.id}").get_data(as_text=True)
    assert "1,723.04" in page and "Eve Engineer" in page


def test_free_service_skips_confirmation_and_settles_at_zero(desk, shop):
    instance_id = start(desk, shop, grade="key", channel="booking", request_type="maintenance")
    desk.do(instance_id, "sr_classify", urgency="normal", handling="service_order")
    prepare(desk, instance_id, items=["SVC-INSPECT"], skill="hull", hours="1", free=True)
    assert desk.ready_names(instance_id) == ["sr_dispatch"]
    desk.do(instance_id, "sr_dispatch")
    desk.do(instance_id, "sr_carry_out", labour_hours="1.5", materials_cost="0")
    desk.do(instance_id, "sr_follow_up", attitude=4, quality=5, complaint=False)
    desk.do(instance_id, "sr_settle", policy="standard")
    found = request_row(desk.platform, instance_id)
    assert "sr_confirm" not in {name for name, _ in desk.done} and found.order.fee_quote == Decimal("0.00")
    settlement, receivable = settlement_of(desk.platform, found.order.id)
    assert (settlement.policy, settlement.amount, receivable) == ("warranty", Decimal("0.00"), [])


def test_follow_up_complaint_adds_goodwill_to_the_discount(desk, shop):
    instance_id = start(desk, shop, grade="key")
    desk.do(instance_id, "sr_classify", urgency="critical", handling="service_order")
    prepare(desk, instance_id, items=["SVC-REPAIR"], skill="propulsion", hours="2")
    desk.do(instance_id, "sr_confirm", customer_confirmed=True)
    desk.do(instance_id, "sr_dispatch")
    desk.do(instance_id, "sr_carry_out", labour_hours="2", materials_cost="99.99")
    desk.do(instance_id, "sr_follow_up", attitude=2, quality=3, complaint=True, follow_up_comment="Engineer late")
    desk.do(instance_id, "sr_resolve", resolution_action="Apologised; goodwill granted", goodwill_percent="10")
    task = desk.task(instance_id, "sr_settle")
    assert desk.user("finance").get(f"/api/tasks/{task.id}").get_json()["initial"]["discount_percent"] == "20.00"
    desk.do(instance_id, "sr_settle", policy="service_contract")
    found = request_row(desk.platform, instance_id)
    settlement, receivable = settlement_of(desk.platform, found.order.id)
    # service contract: labour included, materials 99.99, items at half price 600.00: 699.99 less 20 % = 559.992
    assert (settlement.labour_amount, settlement.amount) == (Decimal("0.00"), Decimal("559.99"))
    assert receivable[0][1] == Decimal("559.99")
    assert found.order.follow_up.goodwill_percent == Decimal("10.00")


def test_complaint_is_handled_by_the_customer_director(desk, shop):
    instance_id = start(desk, shop, channel="complaint", request_type="complaint")
    desk.do(instance_id, "sr_classify", urgency="high", handling="complaint")
    desk.do(instance_id, "sr_complaint", complaint_cause="delivery", complaint_action="Credit note issued",
            needs_site_service=False)
    assert desk.instance(instance_id).status == "completed"
    found = request_row(desk.platform, instance_id)
    assert (found.status, found.complaint_cause, found.resolution) == ("closed", "delivery", "Credit note issued")


def test_customer_declines_the_fee_quote(desk, shop):
    instance_id = start(desk, shop)
    desk.do(instance_id, "sr_classify", urgency="normal", handling="phone")
    desk.do(instance_id, "sr_phone", resolution="Needs a visit", solved=False)
    prepare(desk, instance_id, items=["SVC-COMMISSION"], skill="automation", hours="4")
    answer = desk.do(instance_id, "sr_confirm", customer_confirmed=False, confirmation_note="Too expensive")
    assert answer["outcome"]["kind"] == "cancelled" and "Declined by customer" in answer["outcome"]["text"]
    found = request_row(desk.platform, instance_id)
    assert desk.instance(instance_id).status == "completed"
    assert (found.status, found.order.status, found.resolution) == ("cancelled", "cancelled", "Too expensive")


def test_booking_outside_working_hours_is_refused(desk, shop):
    saturday = next_monday() - dt.timedelta(days=2)
    instance_id = start(desk, shop)
    desk.do(instance_id, "sr_classify", urgency="normal", handling="service_order")
    prepare(desk, instance_id, items=["SVC-INSPECT"], skill="hull", hours="1", at=saturday.replace(hour=9), free=True)
    detail = desk.user("agent").get(f"/api/tasks/{desk.task(instance_id, 'sr_dispatch').id}").get_json()["initial"]
    assert detail["engineer"] is None and "Nobody with the skill Hull is free then." in detail["suggestions"]
    answer = desk.do(instance_id, "sr_dispatch", engineer=shop["engineer_user"])
    assert answer["outcome"]["kind"] == "refused"  # not a green "completed" (issue 13)
    refusal = f"Eve Engineer does not work on Saturday {saturday.day} {saturday:%b %Y}."
    assert f"The booking was refused: {refusal}" in answer["outcome"]["text"]
    assert "is back in" in answer["outcome"]["text"]
    refused = desk.user("agent").get(f"/api/tasks/{desk.task(instance_id, 'sr_dispatch').id}").get_json()["initial"]
    assert refused["booking_refused"] == refusal
    desk.do(instance_id, "sr_dispatch", engineer=shop["engineer_user"],
            scheduled_start=next_monday().isoformat(timespec="minutes"))
    assert desk.ready_names(instance_id) == ["sr_carry_out"]


def test_the_new_task_notice_names_the_step_in_the_recipients_language(desk, shop, platform):
    """The shipped diagram's own labels are Chinese with English translations: each agent reads their own."""
    english = start(desk, shop)
    with platform.sessions.begin() as session:
        session.scalar(select(User).where(User.username == "agent")).language = "zh_CN"
    chinese = start(desk, shop)
    with platform.sessions() as session:
        notes = dict(session.execute(select(Notification.link, Notification.subject).join(
            User, Notification.user_id == User.id).where(User.username == "agent")).all())
    assert notes[f"/tasks/{desk.task(english, 'sr_classify').id}"] == "New task: Classify and grade"
    assert notes[f"/tasks/{desk.task(chinese, 'sr_classify').id}"] == "新任务：分类定级"
