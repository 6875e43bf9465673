"""A webhook's signing secret is stored sealed (encrypted under a key derived from SECRET_KEY): a database dump does
not reveal it, the site opens it to sign and to show it, and a changed SECRET_KEY is said, not a crash."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from crm import sealing
from crm.integrations.webhooks import Webhook, WebhookDelivery
from services.integrations.webhook_sender import UNREADABLE_SECRET
from tests.integrations.test_webhooks import _customer, _register, _request


def _stored(platform) -> tuple[int, str, str]:
    with platform.sessions() as session:
        hook = session.scalars(select(Webhook)).one()
        raw = session.scalar(text("SELECT secret FROM webhook WHERE id = :id"), {"id": hook.id})
        return hook.id, raw, hook.secret


def test_the_stored_secret_is_sealed_and_opened_to_sign_and_to_show(hook_app, admin, agent_token, receiver):
    platform = hook_app.extensions["crm"]
    assert _register(admin, receiver.url).status_code == 302
    hook_id, raw, secret = _stored(platform)
    assert raw.startswith(sealing.PREFIX) and secret not in raw and len(secret) == 64
    assert secret in admin.get(f"/admin/webhooks/{hook_id}").get_data(as_text=True)
    _request(hook_app, agent_token, _customer(platform))
    assert [r.headers["X-CRM-Event"] for r in receiver.got] == ["service_request.created"]
    with pytest.raises(sealing.SealBroken):  # another site's key cannot open it
        sealing.unseal(raw, sealing.key_for("another site's secret key, 32 bytes or more"))


def test_a_changed_secret_key_fails_the_delivery_with_a_reason_and_the_page_says_so(hook_app, admin, agent_token,
                                                                                     receiver):
    platform = hook_app.extensions["crm"]
    _register(admin, receiver.url)
    hook_id, _, _ = _stored(platform)
    sealing.configure("the site's new secret key after a rotation, 32+ bytes")
    try:
        _request(hook_app, agent_token, _customer(platform))
        assert receiver.got == []
        with platform.sessions() as session:
            delivery = session.scalars(select(WebhookDelivery)).one()
            assert (delivery.attempts, delivery.last_error) == (1, UNREADABLE_SECRET)
        page = admin.get(f"/admin/webhooks/{hook_id}").get_data(as_text=True)
        assert "SECRET_KEY changed since this hook was registered" in page
    finally:
        sealing.configure(platform.settings.secret_key)
