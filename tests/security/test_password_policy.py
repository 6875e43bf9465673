"""The password policy (item 10): long enough, not the username, not a common password."""

import pytest
from sqlalchemy import select

from crm.accounts.passwords import password_problems
from crm.accounts.users import User
from tests.security.conftest import PASSWORD
from tests.support.web import WebUser


def test_a_long_uncommon_password_passes():
    assert password_problems("sales", PASSWORD) == []


@pytest.mark.parametrize("password, problem", [
    ("short-1", "at least 10"),
    ("x" * 201, "at most 200"),
    ("Sales-department-2026", "username"),
    ("1234567890", "common"),
    ("Password123", "common"),
    ("qwertyuiop", "common"),
])
def test_weak_passwords_are_named(password, problem):
    assert any(problem in text for text in password_problems("sales", password))


def test_the_admin_page_refuses_a_weak_password(app, platform, login):
    admin = login("admin")
    page = admin.post("/admin/users/", data={"username": "weakling", "password": "password1",
                                             "display_name": "W"}, follow_redirects=True)
    assert "at least 10" in page.get_data(as_text=True)
    page = admin.post("/admin/users/", data={"username": "u" * 101, "password": "plum-kettle-orbit-42",
                                             "display_name": "W"}, follow_redirects=True)
    assert "1 to 100 characters" in page.get_data(as_text=True)
    with platform.sessions() as session:
        assert session.scalar(select(User).where(User.username == "weakling")) is None
        sales = session.scalar(select(User).where(User.username == "sales"))
    page = admin.post(f"/admin/users/{sales.id}", data={"roles": ["salesperson"], "active": "on",
                                                       "password": "1234567890"}, follow_redirects=True)
    assert "not changed" in page.get_data(as_text=True)
    assert WebUser(app.test_client(), "sales").login("demo")  # unchanged
