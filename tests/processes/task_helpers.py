"""Drive the all-field-types test process (tests/processes/bpmn/all_fields.bpmn) for the web tests."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from crm.accounts.users import User
from crm.customers.models import Customer
from engine.models import HumanTask

BPMN_DIR = Path(__file__).parent / "bpmn"
TOO_LONG = "x" * 21

VALID_HTML = {
    "title_text": "Quote", "code": "ABC-123", "notes": "first line", "quantity": "5", "amount": "12.50",
    "visit_date": "2030-05-01", "meeting_at": "2030-05-01T10:30", "urgent": "true", "grade": "key",
    "topics": ["price", "tech"],
}
"""A valid submission of the "fill" form as a browser sends it (contact_user is added per test)."""

VALID_JSON = {
    "title_text": "Quote", "code": "ABC-123", "notes": "first line", "quantity": 5, "amount": "12.50",
    "visit_date": "2030-05-01", "meeting_at": "2030-05-01T10:30:00", "urgent": True, "grade": "key",
    "topics": ["price", "tech"],
}

INVALID = [
    # (field, submitted value (HTML form string / JSON value), message expected)
    ("title_text", "", "This field is required."),
    ("title_text", "ab", "Must be at least 3 characters."),
    ("title_text", TOO_LONG, "Must be at most 20 characters."),
    ("code", "abc-123", "Does not match the required format."),
    ("notes", "n" * 51, "Must be at most 50 characters."),
    ("quantity", "", "This field is required."),
    ("quantity", "five", "Not a valid whole number."),
    ("quantity", "0", "Must be at least 1."),
    ("quantity", "101", "Must be at most 100."),
    ("amount", "12,50", "Not a valid number."),
    ("amount", "0", "Must be at least 0.01."),
    ("amount", "1000.01", "Must be at most 1,000."),
    ("visit_date", "2030-13-01", "Not a valid date (YYYY-MM-DD)."),
    ("visit_date", "2019-12-31", "Must be on or after 1 Jan 2020."),
    ("visit_date", "2100-01-01", "Must be on or before 31 Dec 2099."),
    ("meeting_at", "next week", "Not a valid date and time (YYYY-MM-DDTHH:MM)."),
    ("meeting_at", "2019-06-01T10:00", "Must be on or after 1 Jan 2020 00:00."),
    ("urgent", "maybe", "Not a valid yes/no value."),
    ("grade", "", "This field is required."),
    ("grade", "vip", "Not a valid choice."),
    ("topics", ["price", "gold"], "Not a valid choice: gold."),
    ("contact_user", "abc", "Not a valid reference."),
    ("contact_user", "999999", "No such user."),
]


def deploy(platform, name: str = "all_fields.bpmn") -> None:
    with platform.sessions.begin() as session:
        platform.engine.deploy(session, {name: (BPMN_DIR / name).read_bytes()}, "owner")


def start(platform, actor, **data) -> int:
    """Start ``all_fields`` as ``actor`` (start form skipped: data given directly); returns the instance id."""
    with platform.sessions() as session:
        instance = platform.engine.start(session, "all_fields", {"subject": "Ship hull quote", **data}, actor)
        session.commit()
        platform.relay.after_commit(session)
        return instance.id


def ready_task(platform, instance_id: int) -> HumanTask:
    with platform.sessions() as session:
        [row] = session.scalars(select(HumanTask).where(
            HumanTask.instance_id == instance_id, HumanTask.status == "ready")).all()
        return row


def user_id(platform, username: str) -> int:
    with platform.sessions() as session:
        return session.scalar(select(User.id).where(User.username == username))


def add_customer(platform, company: str, owner: str | None = None) -> int:
    with platform.sessions.begin() as session:
        customer = Customer(company=company, owner_id=user_id(platform, owner) if owner else None)
        session.add(customer)
        session.flush()
        return customer.id


def update_task(platform, task_id: str, **values) -> None:
    with platform.sessions.begin() as session:
        row = session.get(HumanTask, task_id)
        for key, value in values.items():
            setattr(row, key, value)
