"""Webhooks (issue 15 item 4): registered by an administrator, sent signed after the commit through the job outbox,
retried with backoff, paused after repeated failures, never to loopback/private targets unless allowed."""

from __future__ import annotations

import hashlib
import hmac
import time

from sqlalchemy import select

from crm.customers.models import Customer
from crm.integrations.webhooks import Webhook, WebhookDelivery
from engine.models import OutboxJob
from engine.runtime import Actor
from tests.engine.helpers import complete, deploy, ready_tasks, start
from tests.support.jobs import settle


def _register(admin, url: str, events=("service_request.created",)):
    return admin.post("/admin/webhooks/", data={"url": url, "events": list(events), "description": "ERP"})


def _customer(platform) -> int:
    with platform.sessions.begin() as session:
        customer = Customer(company="Bohai Ferries")
        session.add(customer)
        session.flush()
        return customer.id


def _request(app, token: dict, customer_id: int):
    sent = app.test_client().post("/api/service-requests", headers=token, json={
        "customer_id": customer_id, "channel": "phone", "request_type": "repair", "description": "Pump leaks"})
    assert sent.status_code == 201, sent.get_json()
    return sent.get_json()


def _hook(platform) -> Webhook:
    with platform.sessions() as session:
        return session.scalars(select(Webhook)).one()


def _deliveries(platform) -> list[WebhookDelivery]:
    with platform.sessions() as session:
        return list(session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)))


def test_a_delivery_is_signed_with_the_hooks_secret_and_a_fresh_timestamp(hook_app, admin, agent_token, receiver):
    platform = hook_app.extensions["crm"]
    registered = _register(admin, receiver.url, ("service_request.created", "task.created"))
    assert registered.status_code == 302
    hook = _hook(platform)
    page = admin.get(f"/admin/webhooks/{hook.id}").get_data(as_text=True)
    assert hook.secret in page
    created = _request(hook_app, agent_token, _customer(platform))

    events = {r.headers["X-CRM-Event"]: r for r in receiver.got}
    assert set(events) == {"service_request.created", "task.created"}
    got = events["service_request.created"]
    stamp = got.headers["X-CRM-Timestamp"]
    expected = hmac.new(hook.secret.encode(), stamp.encode() + b"." + got.body, hashlib.sha256).hexdigest()
    assert got.headers["X-CRM-Signature"] == f"sha256={expected}"
    assert abs(time.time() - int(stamp)) < 60
    assert got.json["data"]["number"] == created["number"] and got.json["event"] == "service_request.created"
    assert got.headers["X-CRM-Delivery"] == str(got.json["id"])
    forged = hmac.new(b"another secret", stamp.encode() + b"." + got.body, hashlib.sha256).hexdigest()
    assert got.headers["X-CRM-Signature"] != f"sha256={forged}"
    assert {d.status for d in _deliveries(platform)} == {"delivered"}
    listing = admin.get(f"/admin/webhooks/{hook.id}?status=delivered").get_data(as_text=True)
    assert "service_request.created" in listing


def test_nothing_is_sent_for_a_change_that_rolls_back(hook_app, admin, agent_token, receiver):
    platform = hook_app.extensions["crm"]
    _register(admin, receiver.url)
    refused = hook_app.test_client().post("/api/service-requests", headers=agent_token, json={
        "customer_id": _customer(platform), "request_type": "teleport", "description": "x"})
    assert refused.status_code == 422
    assert receiver.got == [] and _deliveries(platform) == []


def test_a_500_is_retried_with_backoff_and_then_delivered(hook_app, admin, agent_token, receiver):
    platform = hook_app.extensions["crm"]
    _register(admin, receiver.url)
    receiver.answers = [(500, {})]
    _request(hook_app, agent_token, _customer(platform))
    [delivery] = _deliveries(platform)
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("pending", 1, 500)
    assert delivery.next_attempt_at is not None and delivery.last_error == "HTTP 500"
    settle(platform, fast_forward=True)
    [delivery] = _deliveries(platform)
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("delivered", 2, 200)
    assert [r.headers["X-CRM-Delivery"] for r in receiver.got] == [str(delivery.id)] * 2
    assert receiver.got[0].body == receiver.got[1].body


def test_a_redirect_is_not_followed(hook_app, admin, agent_token, receiver):
    platform = hook_app.extensions["crm"]
    _register(admin, receiver.url)
    receiver.answers = [(302, {"Location": "http://169.254.169.254/latest/meta-data/"})]
    _request(hook_app, agent_token, _customer(platform))
    [delivery] = _deliveries(platform)
    assert delivery.status == "pending" and "redirects are not followed" in delivery.last_error
    assert len(receiver.got) == 1


def test_a_hook_failing_again_and_again_is_paused_shown_on_health_and_resumed(hook_app, admin, agent_token,
                                                                              receiver):
    platform = hook_app.extensions["crm"]
    _register(admin, receiver.url)
    receiver.answers = [(500, {})] * 3
    customer_id = _customer(platform)
    _request(hook_app, agent_token, customer_id)
    settle(platform, fast_forward=True)
    hook = _hook(platform)
    assert hook.paused_at is not None and hook.failures == 3
    assert [d.status for d in _deliveries(platform)] == ["held"]
    health = admin.get("/admin/health").get_data(as_text=True)
    assert 'id="paused-webhooks"' in health and receiver.url in health
    _request(hook_app, agent_token, customer_id)
    assert [d.status for d in _deliveries(platform)] == ["held", "held"] and len(receiver.got) == 3
    resumed = admin.post(f"/admin/webhooks/{hook.id}/resume")
    assert resumed.status_code == 302
    settle(platform, fast_forward=True)
    assert [d.status for d in _deliveries(platform)] == ["delivered", "delivered"]
    assert _hook(platform).paused_at is None


def test_loopback_and_private_targets_are_refused_unless_allowed(app, receiver):
    from tests.support.web import WebUser

    admin = WebUser(app.test_client(), "admin").login()
    for url in (receiver.url, "http://localhost:8080/x", "http://10.1.2.3/x", "http://[::1]/x",
                "http://169.254.169.254/latest/meta-data/", "ftp://example.com/x", "http://user:pw@example.com/"):
        refused = _register(admin, url)
        assert refused.status_code == 422, url
        assert "URL refused" in refused.get_data(as_text=True)
    platform = app.extensions["crm"]
    with platform.sessions() as session:
        assert session.scalars(select(Webhook)).all() == []


def test_a_target_that_later_resolves_to_loopback_is_not_called(app, hook_app, admin, agent_token, receiver):
    """Registered while allowed; the sender of a deployment that does not allow loopback refuses at send time."""
    strict = app.extensions["crm"]
    _register(admin, receiver.url)
    _request(hook_app, agent_token, _customer(hook_app.extensions["crm"]))
    receiver.got.clear()
    with strict.sessions.begin() as session:
        delivery = session.scalars(select(WebhookDelivery)).first()
        delivery.status = "pending"
        job_id = session.scalar(select(OutboxJob.id).where(OutboxJob.kind == "deliver_webhook")
                                .order_by(OutboxJob.id.desc()))
        session.get(OutboxJob, job_id).status = "pending"
    strict.runner.run(job_id)
    assert receiver.got == []
    with strict.sessions() as session:
        assert "target refused" in session.get(WebhookDelivery, delivery.id).last_error


def test_every_event_of_a_step_is_recorded_once_per_hook_and_a_new_hook_hears_the_next_step(hook_app, admin, receiver):
    """The active hooks are read once per transaction (a step emits up to three events): each event still reaches
    each subscribed hook, and a hook registered between two steps hears the second."""
    platform = hook_app.extensions["crm"]
    deploy(platform, "approval.bpmn")
    _register(admin, receiver.url, ("task.completed", "task.created", "process.completed"))
    bench = Actor("sales", frozenset({"salesperson", "customer_director"}))
    instance_id = start(platform, "approval", bench)
    complete(platform, ready_tasks(platform, instance_id)[0].id, bench, {"amount": 100, "reason": "pump"})
    _register(admin, receiver.url + "/second", ("process.completed",))
    complete(platform, ready_tasks(platform, instance_id)[0].id, bench, {"approved": True})

    sent = [(d.webhook_id, d.event) for d in _deliveries(platform)]
    first, second = sorted({hook_id for hook_id, _ in sent})
    assert sent == [(first, "task.created"), (first, "task.created"), (first, "task.completed"),
                    (first, "task.completed"), (first, "process.completed"), (second, "process.completed")]
