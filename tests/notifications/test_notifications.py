"""Notifications: queue and hand-over messages, reminders once, SMS for approvers, delivery jobs, channels,
the bell, the notifications page and the outbox."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import threading
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from sqlalchemy import func, select

from crm.accounts.users import User
from crm.notifications.messages import Notification, OutboxMessage, ReminderSent
from engine.models import OutboxJob, utcnow
from services.notifications import channels
from services.notifications.channels import SmsGateway, SmtpTransport
from services.notifications.notifier import Notifier
from tests.processes.task_helpers import deploy, ready_task, start, update_task, user_id


@pytest.fixture
def fill_task(platform, actors, tmp_uploads):
    deploy(platform)
    return ready_task(platform, start(platform, actors["sales"]))


def _notes(platform, username: str) -> list[Notification]:
    with platform.sessions() as session:
        return list(session.scalars(select(Notification).where(Notification.user_id == user_id(platform, username))
                                    .order_by(Notification.id)))


def _messages(platform, channel: str | None = None) -> list[OutboxMessage]:
    with platform.sessions() as session:
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        if channel:
            query = query.where(OutboxMessage.channel == channel)
        return list(session.scalars(query))


def _to_review(platform, actors, fill_task):
    with platform.sessions() as session:
        platform.engine.complete(session, fill_task.id, {"title_text": "x", "quantity": 1, "grade": "key"},
                                 actors["sales"])
        session.commit()
        platform.relay.after_commit(session)
    return ready_task(platform, fill_task.instance_id)


def test_a_new_task_notifies_everyone_in_its_lane(platform, fill_task):
    for username in ("sales", "sales2"):
        [note] = _notes(platform, username)
        assert note.subject == "New task: Fill in every field" and note.link == f"/tasks/{fill_task.id}"
        assert "is waiting in the Salesperson queue" in note.body and "Due " in note.body
    assert _notes(platform, "custdir") == [] and _messages(platform) == []  # in-app only: no notify property


def test_approvers_get_a_text_message_kept_in_the_outbox_by_the_delivery_job(platform, actors, fill_task, settle_jobs):
    review = _to_review(platform, actors, fill_task)
    [note] = _notes(platform, "custdir")
    assert note.subject == "New task: Approve the request"
    [sms] = _messages(platform, "sms")
    with platform.sessions() as session:
        assert session.get(User, sms.user_id).username == "custdir"
    assert sms.address == "+86 138 0000 0100" and "Approve the request" in sms.subject
    assert f"#{review.instance_id}" in sms.body
    settle_jobs()  # ticks the relay, too: no "due soon" reminder for a task given only a day
    [sms] = _messages(platform, "sms")
    assert sms.status == "kept"  # no SMS gateway configured: the outbox is where it stays
    with platform.sessions() as session:
        jobs = session.scalars(select(OutboxJob).where(OutboxJob.kind == "deliver_message")).all()
    assert [(j.status, json.loads(j.payload)) for j in jobs] == [("done", {"message_id": sms.id})]


def test_an_overdue_reminder_goes_out_once(platform, fill_task, settle_jobs):
    update_task(platform, fill_task.id, due_at=utcnow() - dt.timedelta(hours=2))
    platform.relay.tick()
    platform.relay.tick()
    settle_jobs()
    for username in ("sales", "sales2"):
        subjects = [n.subject for n in _notes(platform, username)]
        assert subjects == ["New task: Fill in every field", "Overdue: Fill in every field"]
    emails = _messages(platform, "email")
    assert sorted(m.address for m in emails) == ["sales2@example.com", "sales@example.com"]
    assert {m.status for m in emails} == {"kept"}
    with platform.sessions() as session:
        assert session.scalar(select(func.count()).select_from(ReminderSent)) == 1


def test_due_soon_then_overdue_each_once_and_only_for_ready_tasks(platform, actors, fill_task):
    update_task(platform, fill_task.id, due_at=utcnow() + dt.timedelta(hours=3), assignee="sales",
                created_at=utcnow() - dt.timedelta(days=2))
    assert platform.alerts.notifier is platform.registry.services["notifier"]
    with platform.sessions.begin() as session:
        assert platform.alerts.remind_due(session, utcnow()) == 1
    with platform.sessions.begin() as session:
        assert platform.alerts.remind_due(session, utcnow()) == 0
        assert platform.alerts.remind_due(session, utcnow() + dt.timedelta(hours=4)) == 1
    assert [n.subject for n in _notes(platform, "sales")][-2:] == ["Due soon: Fill in every field",
                                                                  "Overdue: Fill in every field"]
    assert [n.subject for n in _notes(platform, "sales2")] == ["New task: Fill in every field"]  # assigned to sales
    review = _to_review(platform, actors, fill_task)
    update_task(platform, review.id, due_at=utcnow() - dt.timedelta(days=1))
    with platform.sessions.begin() as session:
        assert platform.alerts.remind_due(session, utcnow()) == 1  # the completed task is not reminded again
    assert len(_messages(platform, "sms")) == 2  # the approval's queue SMS and its overdue SMS


def test_delivery_sends_through_a_configured_transport_and_records_failures(platform):
    sent = []

    class Flaky:
        def send(self, address, subject, body):
            if address == "down":
                raise ConnectionError("gateway down")
            sent.append((address, subject, body))

    notifier = Notifier({"sms": Flaky()})
    with platform.sessions.begin() as session:
        ok = OutboxMessage(channel="sms", address="+86 1", subject="Hi", body="there")
        bad = OutboxMessage(channel="sms", address="down", subject="Hi")
        email = OutboxMessage(channel="email", address="a@b.c", subject="Hi")
        session.add_all([ok, bad, email])
        session.flush()
        job = OutboxJob(kind="deliver_message", attempts=1, max_attempts=3)
        notifier.deliver(session, job, {"message_id": ok.id})
        notifier.deliver(session, job, {"message_id": email.id})
        with pytest.raises(ConnectionError):
            notifier.deliver(session, job, {"message_id": bad.id})  # the job runner retries
        job.attempts = 3
        notifier.deliver(session, job, {"message_id": bad.id})
        notifier.deliver(session, job, {"message_id": ok.id})  # already sent: nothing happens
        assert (ok.status, email.status, bad.status) == ("sent", "kept", "failed")
        assert ok.sent_at is not None and bad.error == "ConnectionError: gateway down"
    assert sent == [("+86 1", "Hi", "there")]


def test_the_notifier_service_for_handlers(platform):
    notifier = platform.registry.services["notifier"]
    with platform.sessions.begin() as session:
        users = notifier.notify(session, ["role:finance", "sales", "finance"], "Contract 7 approved", "Book it.",
                                channels=("in_app", "email", "sms"), link="/contracts/7")
        assert [u.username for u in users] == ["finance", "sales"]
        with pytest.raises(LookupError):
            notifier.notify(session, "nobody", "x")
        with pytest.raises(ValueError, match="fax"):
            notifier.notify(session, "sales", "x", channels=("fax",))
        sales = session.scalar(select(User).where(User.username == "sales"))
        phone, sales.phone = sales.phone, ""
        notifier.notify(session, "sales", "No phone", channels=("sms",))
        sales.phone = phone
    assert [n.link for n in _notes(platform, "finance")] == ["/contracts/7"]
    statuses = [(m.channel, m.address, m.status) for m in _messages(platform)]
    assert statuses[:4] == [("email", "finance@example.com", "pending"), ("sms", "+86 138 0000 0100", "pending"),
                            ("email", "sales@example.com", "pending"), ("sms", "+86 138 0000 0100", "pending")]
    assert statuses[4] == ("sms", "", "undeliverable")


def test_bell_notifications_page_and_marking_read(platform, login, fill_task):
    sales = login("sales")
    page = sales.get("/worklist/").get_data(as_text=True)
    assert re.search(r'crm-bell-badge">\s*1\s*<', page) and 'href="/notifications/"' in page
    listing = sales.get("/notifications/").get_data(as_text=True)
    assert "New task: Fill in every field" in listing and "Mark all read" in listing
    [note] = _notes(platform, "sales")
    opened = sales.post(f"/notifications/{note.id}/open")
    assert opened.status_code == 302 and opened.headers["Location"] == f"/tasks/{fill_task.id}"
    assert "crm-bell-badge" not in sales.get("/worklist/").get_data(as_text=True)
    [sales2_note] = _notes(platform, "sales2")
    assert sales.post(f"/notifications/{sales2_note.id}/open").headers["Location"] == "/notifications/"
    assert _notes(platform, "sales2")[0].read_at is None  # not theirs to mark
    sales2 = login("sales2")
    sales2.post("/notifications/read")
    assert all(n.read_at for n in _notes(platform, "sales2"))


def test_outbox_page_admin_sees_all_users_their_own(platform, actors, login, fill_task, settle_jobs):
    _to_review(platform, actors, fill_task)
    settle_jobs()
    admin = login("admin").get("/notifications/outbox").get_data(as_text=True)
    assert 'data-channel="sms" data-status="kept"' in admin
    assert "Neither an SMTP server nor an SMS gateway is configured" in admin
    assert "Approve the request" in login("custdir").get("/notifications/outbox").get_data(as_text=True)
    assert "Approve the request" not in login("sales").get("/notifications/outbox").get_data(as_text=True)
    assert "Outbox (everyone)" in login("admin").get("/notifications/").get_data(as_text=True)
    assert "Outbox (everyone)" not in login("sales").get("/notifications/").get_data(as_text=True)


# --- the transports --------------------------------------------------------------------------------


def test_sms_gateway_posts_json_and_fails_on_errors():
    received = []

    class Gateway(BaseHTTPRequestHandler):
        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            received.append((self.headers["Content-Type"], body))
            self.send_response(500 if body["to"] == "broken" else 202)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        gateway = SmsGateway(f"http://127.0.0.1:{server.server_port}/send")
        gateway.send("+86 138", "Approve contract 7", "Due today")
        with pytest.raises(OSError):
            gateway.send("broken", "x", "")
    finally:
        server.shutdown()
    assert received[0] == ("application/json", {"to": "+86 138", "text": "Approve contract 7: Due today"})


def test_smtp_transport_sends_one_message(monkeypatch):
    sent: list[tuple] = []

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            sent.append((host, port))

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def send_message(self, message: EmailMessage):
            sent.append((message["To"], message["Subject"], message.get_content().strip()))

    monkeypatch.setattr(channels.smtplib, "SMTP", FakeSMTP)
    SmtpTransport("mail.yard.local:2525").send("cara@yard.cn", "Overdue: Approve", "Please approve.")
    assert sent == [("mail.yard.local", 2525), ("cara@yard.cn", "Overdue: Approve", "Please approve.")]


def test_transports_follow_the_settings(platform):
    assert channels.configured_transports(platform.settings) == {}
    both = dataclasses.replace(platform.settings, smtp_host="mail", sms_gateway_url="http://sms/send")
    found = channels.configured_transports(both)
    assert isinstance(found["email"], SmtpTransport) and isinstance(found["sms"], SmsGateway)
