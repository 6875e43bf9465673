"""In chromium at 1366x768: shipped diagrams open fitted to their content at a readable size, in the modeler and
on the version diff page (issue 13 item 5). The task page is checked in test_task_context_browser.py."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import sign_in

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}
READABLE = 60
"""The least on-screen width (px) of a 100-unit task shape whose label can still be read."""
FILES = ("contract_approval.bpmn", "contract_approval_route.dmn")


def deploy_shipped(platform, comment: str = "shipped", rename: str | None = None) -> None:
    """Deploy the shipped contract approval (``rename``: a new name for the finance review, to make a version 2)."""
    files = {name: (platform.settings.bpmn_dir / name).read_bytes() for name in FILES}
    if rename:
        files[FILES[0]] = files[FILES[0]].replace('name="财务审核"'.encode(), f'name="{rename}"'.encode())
    with platform.sessions.begin() as session:
        platform.engine.deploy(session, files, "owner", comment)


def shown_tasks(page: Page, container: str) -> list[dict]:
    """On-screen boxes of the user tasks drawn inside ``container`` that are at least partly visible in it."""
    return page.evaluate("""(selector) => {
      const box = document.querySelector(selector).getBoundingClientRect();
      return [...document.querySelectorAll(selector + " g.djs-element.djs-shape[data-element-id]")]
        .map((g) => ({id: g.dataset.elementId, rect: g.querySelector('.djs-visual > rect')}))
        .filter((s) => s.rect && s.rect.getAttribute('width') === '100')
        .map((s) => { const r = s.rect.getBoundingClientRect();
                      return {id: s.id, width: r.width, left: r.left, top: r.top}; })
        .filter((r) => r.left < box.right && r.left + r.width > box.left && r.top < box.bottom && r.top > box.top - 80);
    }""", container)


def assert_readable(page: Page, container: str) -> None:
    tasks = shown_tasks(page, container)
    assert tasks, f"no task of the diagram is visible in {container}"
    assert min(t["width"] for t in tasks) >= READABLE, tasks


def test_the_modeler_opens_a_shipped_diagram_fitted_and_readable(platform, live_server, browser):
    deploy_shipped(platform)
    page = browser.new_context(viewport=LAPTOP).new_page()
    sign_in(page, live_server, "owner")
    page.goto(f"{live_server}/processes/contract_approval/edit")
    expect(page.locator("#crm-modeler.crm-modeler-ready")).to_be_attached()
    assert_readable(page, ".crm-editor-pane:not(.d-none) .crm-modeler-canvas")
    # the view starts at the content: the start event is on screen
    expect(page.locator(".crm-editor-pane:not(.d-none) g.djs-element[data-element-id='ca_start']")).to_be_in_viewport()
    page.context.close()


def test_the_diff_page_shows_both_versions_readable(platform, live_server, browser):
    deploy_shipped(platform)
    deploy_shipped(platform, "renamed", rename="财务复核")
    page = browser.new_context(viewport=LAPTOP).new_page()
    sign_in(page, live_server, "owner")
    page.goto(f"{live_server}/processes/contract_approval/diff")
    diagrams = page.locator(".js-diff-diagram")
    expect(page.locator(".js-diff-diagram g.djs-element.crm-diff-changed")).not_to_have_count(0)
    for index in range(diagrams.count()):
        diagrams.nth(index).evaluate("(node) => node.id = node.id || 'crm-diff-' + Math.random().toString(36).slice(2)")
        assert_readable(page, "#" + diagrams.nth(index).get_attribute("id"))
    page.context.close()
