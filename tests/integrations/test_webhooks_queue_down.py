"""Redis down keeps deliveries: the event is written with the change; the scheduler sends it once jobs run again."""

from __future__ import annotations

from sqlalchemy import select

from app import create_app
from crm.customers.models import Customer
from crm.integrations.webhooks import WebhookDelivery
from engine.models import OutboxJob

from .conftest import hook_settings


def test_with_redis_down_the_delivery_waits_in_the_outbox_and_goes_out_later(hook_app, admin, receiver,
                                                                             database_url, queue_name):
    platform = hook_app.extensions["crm"]
    admin.post("/admin/webhooks/", data={"url": receiver.url, "events": ["service_request.created"]})
    with platform.sessions.begin() as session:
        customer = Customer(company="Yellow Sea Lines")
        session.add(customer)
        session.flush()
        customer_id = customer.id
    down = create_app(hook_settings(database_url, queue_name, redis_url="redis://127.0.0.1:1/0",
                                    push_timeout_ms=50))
    try:
        client = down.test_client()
        token = client.post("/api/auth/token", json={"username": "agent", "password": "demo"}).get_json()["token"]
        sent = client.post("/api/service-requests", headers={"Authorization": f"Bearer {token}"}, json={
            "customer_id": customer_id, "channel": "web", "request_type": "repair", "description": "Winch noise"})
        assert sent.status_code == 201, sent.get_json()
    finally:
        down.extensions["crm"].db.dispose()
    assert receiver.got == []
    with platform.sessions() as session:
        [delivery] = session.scalars(select(WebhookDelivery)).all()
        assert delivery.status == "pending"
        assert session.scalars(select(OutboxJob.status).where(OutboxJob.kind == "deliver_webhook")).all() == \
            ["pending"]
    platform.relay.tick()  # the queue is back (here: jobs in process): the scheduler pushes what waited
    assert [r.headers["X-CRM-Event"] for r in receiver.got] == ["service_request.created"]
    with platform.sessions() as session:
        assert session.get(WebhookDelivery, delivery.id).status == "delivered"
