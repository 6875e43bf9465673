"""``process.failed`` (issue 15) is sent when an instance's error is final: not for an error the engine retries,
once when the last retry fails too."""

from __future__ import annotations

from sqlalchemy import select

from crm.base import utcnow
from crm.integrations.webhooks import WebhookDelivery, create_webhook
from tests.engine.helpers import deploy, instance, start


def _held_hook(platform) -> None:
    """A paused hook: its deliveries are written (held), none is sent."""
    with platform.sessions.begin() as session:
        hook = create_webhook(session, "https://erp.example.com/hooks", ["process.failed"], "admin")
        hook.paused_at = utcnow()


def _failed_deliveries(platform) -> list[str]:
    with platform.sessions() as session:
        return list(session.scalars(select(WebhookDelivery.body).where(WebhookDelivery.event == "process.failed")))


def test_an_error_the_engine_retries_sends_nothing(platform, actors, settle_jobs, tmp_path):
    _held_hook(platform)
    flag = tmp_path / "down"
    flag.write_text("outside system is down")
    deploy(platform, "services.bpmn")
    instance_id = start(platform, "services", actors["sales"], {"flag_path": str(flag)})
    settle_jobs()
    assert instance(platform, instance_id).status == "error"
    assert _failed_deliveries(platform) == []
    flag.unlink()  # back before the retry
    settle_jobs(fast_forward=True)
    assert instance(platform, instance_id).status == "running"
    assert _failed_deliveries(platform) == []


def test_the_last_failed_retry_sends_process_failed_once(platform, actors, settle_jobs, tmp_path):
    _held_hook(platform)
    flag = tmp_path / "down"
    flag.write_text("x")
    deploy(platform, "services.bpmn")
    instance_id = start(platform, "services", actors["sales"], {"flag_path": str(flag)})
    settle_jobs(fast_forward=True)
    assert instance(platform, instance_id).status == "error"
    sent = _failed_deliveries(platform)
    assert len(sent) == 1 and f'"instance_id":{instance_id}' in sent[0] and "call_outside" in sent[0]
