"""End to end in chromium: the process owner adds an approval step in the modeler and deploys it; new
instances take the new step, instances started before keep the old chain; problems are marked on the diagram."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from engine.models import ProcessVersion
from tests.engine.helpers import complete, instance, start
from tests.processes.helpers import FILE, KEY, chain, deploy, ready, with_salesdir_step
from tests.support.browser import sign_in

pytestmark = pytest.mark.browser


def open_modeler(page: Page, base: str) -> None:
    page.goto(f"{base}/processes/library")
    page.click(f"#process-{KEY} >> text=Open in modeler")
    expect(page.locator("#crm-modeler.crm-modeler-ready")).to_be_attached()
    expect(page.locator("#crm-status")).to_contain_text("Ready")


def screen_point(page: Page, x: float, y: float) -> tuple[float, float]:
    """Where diagram coordinate (x, y) is on the screen."""
    return page.evaluate("""([x, y]) => {
      const canvas = window.crmModelerPage.current.modeler.get('canvas');
      const box = canvas._container.getBoundingClientRect(), view = canvas.viewbox();
      return [box.left + (x - view.x) * view.scale, box.top + (y - view.y) * view.scale];
    }""", [x, y])


def select_element(page: Page, element_id: str, kind: str) -> None:
    shape = page.locator(f"g.djs-element[data-element-id='{element_id}']")
    for _ in range(3):  # a click right after a change can land before the canvas is ready
        shape.click()
        if page.locator(".bio-properties-panel-header-type").inner_text().upper() == kind:
            return
        page.wait_for_timeout(200)
    expect(page.locator(".bio-properties-panel-header-type")).to_have_text(kind, ignore_case=True)


def add_field(page: Page, index: int, name: str, label: str, field_type: str) -> str:
    """Add a field to the selected task's form in the Form group; returns its entries' id prefix."""
    page.click("[data-group-id='group-crm-form-fields'] .bio-properties-panel-add-entry")
    field = f"#bio-properties-panel-crm-field-{index}"
    page.fill(f"{field}-id", name)
    page.fill(f"{field}-label", label)
    page.select_option(f"{field}-type", field_type)
    return field


def add_sales_director_step(page: Page) -> str:
    """Drop a task on the review -> gateway flow inside the Sales director lane, make it a user task with a form,
    assigned to the sales director by name."""
    page.click(".djs-palette [data-action='create.task']")
    x, y = screen_point(page, 490, 270)  # on flow f3, in the Sales director lane
    page.mouse.move(x - 60, y - 60)
    page.mouse.move(x - 10, y - 10, steps=5)
    page.mouse.move(x, y, steps=5)
    page.mouse.click(x, y)
    page.keyboard.type("Sales director approval")
    page.mouse.click(*screen_point(page, 820, 560))  # outside: ends label editing
    new_id = page.evaluate("""() => window.crmModelerPage.current.modeler.get('elementRegistry')
        .filter(e => e.type === 'bpmn:Task').map(e => e.id)[0]""")
    select_element(page, new_id, "TASK")
    page.click(".djs-context-pad [data-action='replace']")
    page.click(".djs-popup [data-id='replace-with-user-task']")
    select_element(page, new_id, "USER TASK")

    add_field(page, 0, "salesdir_ok", "Sales director approves?", "boolean")
    page.click("[data-group-id='group-crm-assignment'] .bio-properties-panel-group-header")
    page.fill("#bio-properties-panel-crm-assignee", "salesdir")
    return new_id


def test_owner_adds_an_approval_step_and_new_instances_take_it(platform, live_server, browser, browser_page, actors):
    deploy(platform, chain())
    before = start(platform, KEY, actors["sales"], {"customer": "Dalian Shipyard"})
    page = browser_page
    sign_in(page, live_server, "owner")
    open_modeler(page, live_server)
    step = add_sales_director_step(page)

    page.click("#crm-validate")
    expect(page.locator("#crm-status")).to_have_text("No errors: this draft can be deployed.")
    page.fill("#crm-comment", "the sales director approves discounts too")
    page.click("#crm-deploy")
    expect(page.locator("#crm-status")).to_have_text("Deployed: Discount approval v2.")

    with platform.sessions() as session:
        v2 = session.scalar(select(ProcessVersion).where(ProcessVersion.version == 2))
        meta = json.loads(v2.task_meta)[step]
        assert (meta["title"], meta["lane"], meta["role"], meta["assignee"]) == (
            "Sales director approval", "Sales director", "sales_director", "salesdir")
        assert 'id="salesdir_ok"' in v2.source_xml and v2.comment == "the sales director approves discounts too"

    after = start(platform, KEY, actors["sales"], {"customer": "Shanghai Marine"})
    for instance_id in (before, after):
        complete(platform, ready(platform, instance_id)[0].id, actors["sales"], {"amount": "2500"})
        complete(platform, ready(platform, instance_id)[0].id, actors["custdir"], {"approved": True})
    assert instance(platform, before).status == "completed" and instance(platform, before).version.version == 1
    assert [(t.task_name, t.assignee) for t in ready(platform, after)] == [(step, "salesdir")]

    director = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(director, live_server, "salesdir")
    director.goto(f"{live_server}/worklist/?list=mine")
    rows = director.locator("text=Sales director approval")
    expect(rows).to_have_count(1)
    expect(director.locator(f"text=#{after}")).to_be_visible()
    director.context.close()


def test_problems_are_marked_on_the_diagram_and_block_deployment(platform, live_server, browser_page, login):
    deploy(platform, chain())
    broken = with_salesdir_step(chain()).replace("<bpmn:flowNodeRef>salesdir_approval</bpmn:flowNodeRef>", "")
    broken = broken.replace('<bpmn:userTask id="review" name="Customer director review">',
                            '<bpmn:userTask id="review" name="Customer director review" camunda:candidateUsers="cara">')
    broken = broken.replace('name="Customer director"', 'name="Janitor"', 1)
    login("owner").api("POST", f"/processes/{KEY}/draft", {"files": {FILE: broken}, "baseVersion": 1})
    page = browser_page
    sign_in(page, live_server, "owner")
    page.goto(f"{live_server}/processes/{KEY}/edit")
    expect(page.locator("#crm-modeler.crm-modeler-ready")).to_be_attached()

    page.click("#crm-validate")
    expect(page.locator("#crm-status")).to_contain_text("must be fixed before deploying")
    # the new step has no shape yet (no DI): listed only; the review is listed and marked on the diagram
    expect(page.locator(".crm-problem-error[data-element='salesdir_approval']")).to_contain_text("not in a lane")
    expect(page.locator(".crm-problem-error[data-element='review']")).to_contain_text("'Janitor' is not a known role")
    warnings = page.locator(".crm-problem-warning[data-element='review']")
    expect(warnings.filter(has_text="camunda:candidateUsers")).to_have_count(1)
    expect(warnings.filter(has_text="declares no context")).to_have_count(1)  # issue 13
    expect(page.locator("g.djs-element.crm-problem-error[data-element-id='review']")).to_be_attached()
    expect(page.locator(".djs-overlay-crm-problem .crm-problem-badge[data-element-id='review']")).to_have_text("3")
    page.click(".crm-problem-error[data-element='review'] button")
    expect(page.locator(".bio-properties-panel-header-label")).to_have_text("Customer director review")
    expect(page.locator("[data-group-id='group-crm-problems']")).to_contain_text(
        "choose the lane's Approver role from the list")

    page.click("#crm-deploy")
    expect(page.locator("#crm-status")).to_contain_text("Deployment refused")
    with platform.sessions() as session:
        assert [v.version for v in session.scalars(select(ProcessVersion))] == [1]


def test_version_diff_colours_the_diagrams(platform, live_server, browser_page):
    deploy(platform, chain())
    deploy(platform, with_salesdir_step(chain()))
    page = browser_page
    sign_in(page, live_server, "owner")
    page.goto(f"{live_server}/processes/{KEY}/diff")
    expect(page.locator("g.djs-element.crm-diff-added[data-element-id='salesdir_approval']")).to_be_attached()
    expect(page.locator("g.djs-element.crm-diff-changed[data-element-id='f3']")).to_have_count(2)
    expect(page.locator("#crm-diff-table")).to_contain_text("targetRef: gw → salesdir_approval")
