"""Users change their own display name, phone, notification channels and password (issue 12 item 8)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from crm.accounts.users import User
from crm.notifications.messages import OutboxMessage
from services.notifications.notifier import Notifier
from tests.support.web import WebUser

pytestmark = pytest.mark.usefixtures("restore_users")


def _user(platform, username: str) -> User:
    with platform.sessions() as session:
        return session.scalar(select(User).where(User.username == username))


def test_profile_and_notification_choices(platform, login):
    sales = login("sales")
    assert 'id="profile-form"' in sales.get("/account/").get_data(as_text=True)
    saved = sales.post("/account/", data={"display_name": "王 Sam", "phone": "13800138000", "notify_email": "1"})
    assert saved.status_code == 302
    user = _user(platform, "sales")
    assert (user.display_name, user.phone, user.notify_email, user.notify_sms) == (
        "王 Sam", "+86 138 0013 8000", True, False)
    refused = sales.post("/account/", data={"display_name": "", "phone": "12", "notify_sms": "1"})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert set(re.findall(r'data-error-for="(\w+)"', page)) == {"display_name", "phone"} and 'value="12"' in page
    assert _user(platform, "sales").display_name == "王 Sam"


def test_sms_needs_a_phone(login):
    response = login("sales").post("/account/", data={"display_name": "Sam", "phone": "", "notify_sms": "1"})
    assert response.status_code == 422 and "text messages need a phone number" in response.get_data(as_text=True)


def test_notifier_respects_the_users_channels(platform):
    with platform.sessions.begin() as session:
        session.scalar(select(User).where(User.username == "finance")).notify_sms = False
    with platform.sessions.begin() as session:
        Notifier({}).notify(session, ["finance", "sales"], "Approve", channels=("in_app", "sms"))
    sales_id = _user(platform, "sales").id
    with platform.sessions() as session:
        assert [m.user_id for m in session.scalars(select(OutboxMessage))] == [sales_id]


def test_password_change(app, platform, login):
    sales = login("sales")
    wrong = sales.post("/account/password", data={"current_password": "nope", "new_password": "short",
                                                  "repeat_password": "short"})
    assert wrong.status_code == 422
    assert set(re.findall(r'data-error-for="(\w+)"', wrong.get_data(as_text=True))) == {
        "current_password", "new_password"}
    differ = sales.post("/account/password", data={"current_password": "demo", "new_password": "harbour-crane-7",
                                                   "repeat_password": "harbour-crane-8"})
    assert differ.status_code == 422 and "differ" in differ.get_data(as_text=True)
    done = sales.post("/account/password", data={"current_password": "demo", "new_password": "harbour-crane-7",
                                                 "repeat_password": "harbour-crane-7"})
    assert done.status_code == 302
    assert WebUser(app.test_client(), "sales").login("harbour-crane-7")


def test_account_needs_a_signed_in_user(client):
    assert client.get("/account/").status_code == 302
