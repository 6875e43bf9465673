"""Engineers, their skills, working hours and bookings; dispatch never double-books an engineer.

``book`` locks the engineer's row (SELECT ... FOR UPDATE) before looking for overlaps, so concurrent
dispatchers queue up behind each other; on PostgreSQL an exclusion constraint (migration 0003) is the
last line of defence. SQLite serializes writers with BEGIN IMMEDIATE. Booking times are local wall-clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship, selectinload

from crm import formatting
from crm.accounts.users import User
from crm.base import CrmBase, utcnow
from crm.orders.errors import OrderError
from crm.service.labels import label
from i18n import _, zones


class BookingRefused(OrderError):
    """The engineer cannot take this booking (overlap, outside working hours, unknown engineer)."""


class Engineer(CrmBase):
    __tablename__ = "engineer"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    work_start: Mapped[dt.time] = mapped_column(default=dt.time(8, 0))
    work_end: Mapped[dt.time] = mapped_column(default=dt.time(17, 0))
    work_days: Mapped[str] = mapped_column(String(7), default="12345")
    active: Mapped[bool] = mapped_column(default=True)

    user: Mapped[User] = relationship()
    skills: Mapped[list[EngineerSkill]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    @property
    def skill_names(self) -> list[str]:
        return sorted(s.skill for s in self.skills)


class EngineerSkill(CrmBase):
    __tablename__ = "engineer_skill"

    engineer_id: Mapped[int] = mapped_column(ForeignKey("engineer.id", ondelete="CASCADE"), primary_key=True)
    skill: Mapped[str] = mapped_column(String(50), primary_key=True)


class Booking(CrmBase):
    __tablename__ = "engineer_booking"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="positive_length"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    engineer_id: Mapped[int] = mapped_column(ForeignKey("engineer.id"), index=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("service_order.id"), index=True)
    starts_at: Mapped[dt.datetime] = mapped_column(index=True)
    ends_at: Mapped[dt.datetime]
    note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    engineer: Mapped[Engineer] = relationship()

    @property
    def hours(self) -> float:
        return (self.ends_at - self.starts_at).total_seconds() / 3600


@dataclass(frozen=True)
class Suggestion:
    engineer: Engineer
    week_hours: float
    """Hours already booked in the ISO week of the requested slot (the workload)."""

    @property
    def label(self) -> str:
        skills = _(", ").join(label("skill", skill) for skill in self.engineer.skill_names)
        return _("%(name)s (%(skills)s; %(hours)s booked that week)", name=self.engineer.name, skills=skills,
                 hours=formatting.hours(self.week_hours))


def add_engineer(
    session: Session, user: User, skills: list[str], *, work_start: dt.time = dt.time(8, 0),
    work_end: dt.time = dt.time(17, 0), work_days: str = "12345",
) -> Engineer:
    """An engineer profile for a user: skills and working hours (``work_days`` are ISO weekdays, 1 = Monday)."""
    if work_end <= work_start or not work_days or not set(work_days) <= set("1234567"):
        raise OrderError(_("Working hours must end after they start, on weekdays 1-7 (1 = Monday)."))
    engineer = Engineer(user=user, name=user.display_name, work_start=work_start, work_end=work_end,
                        work_days=work_days, skills=[EngineerSkill(skill=s) for s in sorted(set(skills))])
    session.add(engineer)
    session.flush()
    return engineer


def engineer_for_user(session: Session, user_id: int) -> Engineer | None:
    return session.scalar(select(Engineer).where(Engineer.user_id == user_id))


def outside_hours(engineer: Engineer, starts_at: dt.datetime, ends_at: dt.datetime) -> str | None:
    """Why the slot (stored UTC) is outside the engineer's working hours, or None if it fits. Working hours and
    days are the yard's: in the site's zone."""
    starts_at, ends_at = (zones.to_local(moment, zones.site_zone()) for moment in (starts_at, ends_at))
    if starts_at.date() != ends_at.date():
        return _("A booking must start and end on the same day.")
    if str(starts_at.isoweekday()) not in engineer.work_days:
        return _("%(name)s does not work on %(day)s.", name=engineer.name,
                 day=formatting.date(starts_at.date(), weekday=True))
    if starts_at.time() < engineer.work_start or ends_at.time() > engineer.work_end:
        return _("%(name)s works %(start)s–%(end)s.", name=engineer.name, start=formatting.clock(engineer.work_start),
                 end=formatting.clock(engineer.work_end))
    return None


def _overlapping(engineer_id: int, starts_at: dt.datetime, ends_at: dt.datetime):
    return select(Booking).where(Booking.engineer_id == engineer_id, Booking.starts_at < ends_at,
                                 Booking.ends_at > starts_at)


def book(
    session: Session, engineer_id: int, starts_at: dt.datetime, ends_at: dt.datetime, *,
    order_id: int | None = None, note: str = "", created_by: str = "",
) -> Booking:
    """Book the engineer, or raise :class:`BookingRefused` saying why (checked under the engineer's row lock)."""
    if ends_at <= starts_at:
        raise BookingRefused(_("A booking must end after it starts."))
    engineer = session.get(Engineer, engineer_id, with_for_update=True, populate_existing=True)
    if engineer is None or not engineer.active:
        raise BookingRefused(_("There is no active engineer %(id)s.", id=engineer_id))
    problem = outside_hours(engineer, starts_at, ends_at)
    if problem:
        raise BookingRefused(problem)
    clash = session.scalar(_overlapping(engineer_id, starts_at, ends_at).order_by(Booking.starts_at).limit(1))
    if clash is not None:
        raise BookingRefused(_("%(name)s is already booked %(start)s–%(end)s.", name=engineer.name,
                               start=formatting.datetime(clash.starts_at), end=formatting.clock(clash.ends_at)))
    booking = Booking(engineer=engineer, order_id=order_id, starts_at=starts_at, ends_at=ends_at, note=note,
                      created_by=created_by)
    try:
        with session.begin_nested():
            session.add(booking)
            session.flush()
    except IntegrityError as exc:  # the PostgreSQL exclusion constraint: someone got there first
        raise BookingRefused(_("%(name)s was just booked for an overlapping time.", name=engineer.name)) from exc
    return booking


def week_of(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Monday 00:00 to the next Monday 00:00 around ``day`` in the site's zone, as stored (UTC)."""
    monday = day - dt.timedelta(days=day.weekday())
    site = zones.site_zone()
    return tuple(zones.to_utc(dt.datetime.combine(monday + dt.timedelta(days=days), dt.time()), site)
                 for days in (0, 7))


def bookings_between(session: Session, start: dt.datetime, end: dt.datetime) -> list[Booking]:
    return list(session.scalars(select(Booking).where(Booking.starts_at < end, Booking.ends_at > start)
                                .order_by(Booking.starts_at)))


def engineers(session: Session, skill: str = "") -> list[Engineer]:
    """Active engineers by name, only those with ``skill`` if given."""
    query = select(Engineer).where(Engineer.active.is_(True)).options(selectinload(Engineer.skills))
    if skill:
        query = query.where(Engineer.skills.any(EngineerSkill.skill == skill))
    return list(session.scalars(query.order_by(Engineer.name)))


def suggest(session: Session, skill: str, starts_at: dt.datetime, ends_at: dt.datetime) -> list[Suggestion]:
    """Engineers with ``skill`` who are free and working then, least booked that week first."""
    week_start, week_end = week_of(zones.to_local(starts_at, zones.site_zone()).date())
    load: dict[int, float] = {}
    for booking in bookings_between(session, week_start, week_end):
        load[booking.engineer_id] = load.get(booking.engineer_id, 0.0) + booking.hours
    free = [
        e for e in engineers(session, skill)
        if outside_hours(e, starts_at, ends_at) is None
        and session.scalar(_overlapping(e.id, starts_at, ends_at).limit(1)) is None
    ]
    return sorted((Suggestion(e, load.get(e.id, 0.0)) for e in free), key=lambda s: (s.week_hours, s.engineer.name))
