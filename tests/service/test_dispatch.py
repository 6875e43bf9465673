"""Dispatch: suggestions by skill, working hours and load; no engineer is ever double-booked, even concurrently."""

import datetime as dt
import threading

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from crm.service import engineers
from crm.service.engineers import Booking, BookingRefused, Engineer
from tests.conftest import servers_mode
from tests.orders.driver import next_monday

ATTEMPTS = 20


def engineer_id(platform, user_id: int) -> int:
    with platform.sessions() as session:
        return session.scalar(select(Engineer.id).where(Engineer.user_id == user_id))


def attempt(platform, engineer: int, starts_at: dt.datetime, results: list, barrier=None) -> None:
    """One dispatcher: its own session, one booking attempt, commit."""
    with platform.sessions() as session:
        if barrier is not None:
            barrier.wait()
        try:
            engineers.book(session, engineer, starts_at, starts_at + dt.timedelta(hours=2), created_by="test")
            session.commit()
            results.append("booked")
        except BookingRefused as exc:
            session.rollback()
            results.append(str(exc))


def bookings(platform, engineer: int) -> int:
    with platform.sessions() as session:
        return len(session.scalars(select(Booking).where(Booking.engineer_id == engineer)).all())


def test_suggestions_follow_skill_hours_and_load(platform, shop):
    monday = next_monday()
    eve, ed = engineer_id(platform, shop["engineer_user"]), engineer_id(platform, shop["engineer2_user"])
    with platform.sessions() as session:
        def names(skill, at, hours=2):
            return [s.engineer.name for s in engineers.suggest(session, skill, at, at + dt.timedelta(hours=hours))]

        assert names("electrical", monday) == ["Ed Engineer", "Eve Engineer"]
        assert names("propulsion", monday) == ["Eve Engineer"]  # only Eve has the skill
        assert names("electrical", monday.replace(hour=15)) == ["Eve Engineer"]  # Ed stops at 15:00
        assert names("electrical", monday.replace(hour=7)) == ["Ed Engineer"]  # Eve starts at 08:00
        assert names("electrical", monday + dt.timedelta(days=5)) == []  # Saturday
        engineers.book(session, ed, monday + dt.timedelta(days=1), monday + dt.timedelta(days=1, hours=4))
        assert names("electrical", monday) == ["Eve Engineer", "Ed Engineer"]  # Ed has 4 h that week
        engineers.book(session, eve, monday, monday + dt.timedelta(hours=1))
        assert names("electrical", monday) == ["Ed Engineer"]  # Eve is busy then
        session.rollback()


@pytest.mark.parametrize(("offset", "hours", "message"), [
    (dt.timedelta(hours=1), 2, "Eve Engineer is already booked"),
    (dt.timedelta(hours=-1), 2, "Eve Engineer is already booked"),
    (dt.timedelta(hours=2), 1, None),  # back to back is fine
    (dt.timedelta(hours=6), 2, "Eve Engineer works 08:00–17:00"),
    (dt.timedelta(days=6), 1, "Eve Engineer does not work on Sunday"),
    (dt.timedelta(hours=12), 4, "A booking must start and end on the same day"),
])
def test_overlaps_and_hours_outside_work_are_refused(platform, shop, offset, hours, message):
    eve = engineer_id(platform, shop["engineer_user"])
    monday = next_monday()
    with platform.sessions() as session:
        engineers.book(session, eve, monday, monday + dt.timedelta(hours=2))
        start = monday + offset
        if message is None:
            engineers.book(session, eve, start, start + dt.timedelta(hours=hours))
        else:
            with pytest.raises(BookingRefused, match=message):
                engineers.book(session, eve, start, start + dt.timedelta(hours=hours))


def test_the_same_slot_twenty_times_in_a_row(platform, shop):
    eve = engineer_id(platform, shop["engineer_user"])
    results: list = []
    for _ in range(ATTEMPTS):
        attempt(platform, eve, next_monday(), results)
    assert results.count("booked") == 1 and bookings(platform, eve) == 1
    assert all(r.startswith("Eve Engineer is already booked") for r in results if r != "booked")


@pytest.mark.servers
@pytest.mark.skipif(not servers_mode(), reason="needs PostgreSQL (CRM_TEST_BACKEND=servers)")
def test_twenty_concurrent_dispatchers_book_the_slot_once(platform, shop):
    eve = engineer_id(platform, shop["engineer_user"])
    results: list = []
    barrier = threading.Barrier(ATTEMPTS)
    threads = [threading.Thread(target=attempt, args=(platform, eve, next_monday(), results, barrier))
               for _ in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(results) == ATTEMPTS
    assert results.count("booked") == 1, results
    assert all(r.startswith("Eve Engineer is already booked") for r in results if r != "booked"), results
    assert bookings(platform, eve) == 1


@pytest.mark.servers
@pytest.mark.skipif(not servers_mode(), reason="needs PostgreSQL (CRM_TEST_BACKEND=servers)")
def test_the_database_itself_refuses_overlapping_bookings(platform, shop):
    """The exclusion constraint holds even for code that skips the checks."""
    eve = engineer_id(platform, shop["engineer_user"])
    monday = next_monday()
    with platform.sessions() as session:
        session.add(Booking(engineer_id=eve, starts_at=monday, ends_at=monday + dt.timedelta(hours=2)))
        session.add(Booking(engineer_id=eve, starts_at=monday + dt.timedelta(hours=1),
                            ends_at=monday + dt.timedelta(hours=3)))
        with pytest.raises(IntegrityError, match="ex_engineer_booking_no_overlap"):
            session.flush()
