"""Engineer bookings are stored in UTC, typed and shown in the user's zone, and checked against the yard's working
hours in the site's zone (issue 14 item 4)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from crm.service.engineers import Booking, engineer_for_user
from i18n import zones
from tests.orders.driver import next_monday


@pytest.fixture
def shanghai_site():
    zones.configure("Asia/Shanghai")
    yield
    zones.configure("UTC")


def test_a_booking_at_ten_in_shanghai_is_within_the_engineers_hours(desk, shop, user_timezone, shanghai_site):
    user_timezone("agent", "Asia/Shanghai")
    monday = next_monday()
    agent = desk.user("agent")
    with desk.platform.sessions() as session:
        ed = engineer_for_user(session, shop["engineer2_user"]).id
    booked = agent.post("/engineers/bookings", {"engineer_id": ed, "starts_at": f"{monday:%Y-%m-%d}T10:00",
                                                "hours": "2", "note": "Sea trial"})
    assert booked.status_code == 302
    with desk.platform.sessions() as session:
        booking = session.scalar(select(Booking).where(Booking.engineer_id == ed))
    assert (booking.starts_at, booking.ends_at) == (dt.datetime.combine(monday, dt.time(2)),
                                                    dt.datetime.combine(monday, dt.time(4)))  # stored UTC
    schedule = agent.get(f"/engineers/?week={monday:%Y-%m-%d}").get_data(as_text=True)
    assert "10:00–12:00" in schedule
    early = agent.post("/engineers/bookings", {"engineer_id": ed, "starts_at": f"{monday:%Y-%m-%d}T06:00",
                                               "hours": "1"}, follow_redirects=True).get_data(as_text=True)
    assert "works 07:00–15:00" in early  # 06:00 in Shanghai (22:00 UTC the day before): too early
