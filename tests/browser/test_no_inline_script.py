"""The pages whose buttons had inline handlers work under the Content-Security-Policy (no inline script):
roll back to a version (asks for a reason), select every instance to migrate, discard a draft."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from engine.models import ProcessVersion
from tests.engine.helpers import start
from tests.processes.helpers import KEY, chain, deploy, with_salesdir_step
from tests.support.browser import sign_in

pytestmark = pytest.mark.browser


def test_rollback_asks_for_a_reason_and_select_all_ticks_every_movable_instance(
        platform, live_server, browser_page, actors):
    deploy(platform, chain())
    first = start(platform, KEY, actors["sales"], {"customer": "Dalian Shipyard"})
    second = start(platform, KEY, actors["sales"], {"customer": "Shanghai Marine"})
    deploy(platform, with_salesdir_step(chain()))
    page = browser_page
    sign_in(page, live_server, "owner")

    page.goto(f"{live_server}/processes/{KEY}/migrate?to=2")
    page.check("[data-check-all=instance]")
    for instance_id in (first, second):
        expect(page.locator(f"input[name=instance][value='{instance_id}']")).to_be_checked()
    page.uncheck("[data-check-all=instance]")
    expect(page.locator("input[name=instance]:checked")).to_have_count(0)

    page.goto(f"{live_server}/processes/library")
    page.once("dialog", lambda dialog: dialog.dismiss())  # cancel: nothing happens
    page.click("text=Roll back to v1")
    page.once("dialog", lambda dialog: dialog.accept("the new step confused the team"))
    page.click("text=Roll back to v1")
    expect(page.locator(".alert")).to_contain_text("is now version 3")
    with platform.sessions() as session:
        versions = session.scalars(select(ProcessVersion).order_by(ProcessVersion.version)).all()
        assert [v.version for v in versions] == [1, 2, 3]
        assert "the new step confused the team" in (versions[-1].comment or "")
