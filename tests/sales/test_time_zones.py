"""Times are typed and read in the user's own zone, stored and answered by the API in UTC (issue 14 item 4).

The bid deadline of a tender is the example: a datetime field of the bidding start form that later sets the
reminder and deadline timers.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from crm.sales.tenders import Tender
from engine.models import HumanTask, ProcessInstance


def _recommend_task(platform) -> HumanTask:
    with platform.sessions() as session:
        instance_id = session.scalar(select(ProcessInstance.id).order_by(ProcessInstance.id.desc()).limit(1))
        return session.scalar(select(HumanTask).where(HumanTask.instance_id == instance_id,
                                                      HumanTask.task_name == "bd_recommend"))


def _stored_deadline(platform, instance_id: int) -> dt.datetime:
    with platform.sessions() as session:
        return session.scalar(select(Tender.deadline).where(Tender.instance_id == instance_id))


def test_a_shanghai_user_types_china_time_and_reads_it_back(team, platform, make_customer, user_timezone):
    user_timezone("sales", "Asia/Shanghai")
    sales = team.user("sales")
    form = sales.get("/processes/start/bidding").get_data(as_text=True)
    assert "(UTC)" not in form and "Submission deadline" in form
    response = sales.post("/processes/start/bidding", data={
        "customer_id": make_customer(), "project": "Two tugs", "deadline": "2026-12-05T09:00",
        "estimated_value": "40000000"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    task = _recommend_task(platform)
    assert _stored_deadline(platform, task.instance_id) == dt.datetime(2026, 12, 5, 1, 0)  # stored UTC
    page = sales.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "5 Dec 2026 09:00" in page and "01:00" not in page  # the same wall-clock time on the task
    answer = sales.get(f"/api/tasks/{task.id}").get_json()
    assert answer["data"]["deadline"] == "2026-12-05T01:00:00Z"  # the API answers UTC
    assert answer["created_at"].endswith("Z")

    user_timezone("sales", "Europe/Berlin")  # the same instant, read in Berlin
    page = sales.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "5 Dec 2026 02:00" in page and "5 Dec 2026 09:00" not in page


def test_the_api_reads_offsets_and_naive_times_in_the_users_zone(team, platform, make_customer, user_timezone):
    user_timezone("sales", "Europe/Berlin")
    customer_id = make_customer()
    for typed, stored in [("2026-12-05T09:00", dt.datetime(2026, 12, 5, 8, 0)),  # Berlin wall-clock (UTC+1)
                          ("2026-12-05T09:00:00+08:00", dt.datetime(2026, 12, 5, 1, 0)),
                          ("2026-12-05T09:00:00Z", dt.datetime(2026, 12, 5, 9, 0))]:
        instance_id = team.start("bidding", "sales", customer_id=customer_id, project="Tugs", deadline=typed,
                                 estimated_value="40000000")
        assert _stored_deadline(platform, instance_id) == stored, typed
        assert team.data(instance_id)["deadline"] == stored.isoformat() + "Z"


def test_the_deadline_timer_fires_at_the_typed_moment_in_utc(team, platform, make_customer, user_timezone):
    """A Shanghai user's 09:00 deadline is 01:00 UTC; the reminder timer is set two days before that moment."""
    user_timezone("sales", "Asia/Shanghai")
    local = (dt.datetime.now() + dt.timedelta(days=10)).replace(hour=9, minute=0, second=0, microsecond=0)
    deadline_utc = local - dt.timedelta(hours=8)
    instance_id = team.start("bidding", "sales", customer_id=make_customer(), project="Tugs",
                             deadline=local.strftime("%Y-%m-%dT%H:%M"), estimated_value="40000000")
    team.do(instance_id, "bd_recommend", recommendation="bid", reasons="Fits")
    team.do(instance_id, "bd_director_decision")
    team.do(instance_id, "bd_buy_documents", bond_amount="200000")
    team.do(instance_id, "bd_pay_bond", bond_reference="BOND-1")
    team.do(instance_id, "bd_technical", compliance="full")
    team.do(instance_id, "bd_commercial", bid_price="41000000")
    team.do(instance_id, "bd_price_review", price_decision="approve")
    timer_at = team.instance(instance_id).next_timer_at
    assert abs(timer_at - (deadline_utc - dt.timedelta(days=2))) < dt.timedelta(seconds=5)
