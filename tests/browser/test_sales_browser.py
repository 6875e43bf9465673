"""In chromium: the sales diagrams draw in bpmn-js, and a card dragged on the pipeline board moves stage."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from crm.accounts.users import User
from crm.customers.models import Customer
from crm.sales.opportunities import Opportunity, create_opportunity
from tests.sales.driver import SALES_FILES
from tests.support.api_driver import BPMN_DIR
from tests.support.browser import sign_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("name", [f for f in SALES_FILES if f.endswith(".bpmn")])
def test_diagram_draws_with_lanes(live_server, browser_page, name):
    page = browser_page
    page.goto(f"{live_server}/login")
    page.add_script_tag(url=f"{live_server}/static/vendor/bpmn-js/bpmn-viewer.production.min.js")
    result = page.evaluate("""async (xml) => {
        const box = document.createElement('div'); box.style.height = '600px'; document.body.appendChild(box);
        const viewer = new BpmnJS({container: box});
        const {warnings} = await viewer.importXML(xml);
        const shapes = viewer.get('elementRegistry').filter(e => e.type !== 'label');
        return {warnings: warnings.map(w => w.message), lanes: shapes.filter(e => e.type === 'bpmn:Lane').length,
                tasks: shapes.filter(e => e.type === 'bpmn:UserTask').length};
    }""", (BPMN_DIR / name).read_text())
    assert result["warnings"] == [], json.dumps(result["warnings"])
    assert result["lanes"] >= 3 and result["tasks"] >= 2


def test_drag_a_card_to_advance_the_opportunity(platform, live_server, browser_page):
    with platform.sessions.begin() as session:
        sales = session.scalar(select(User).where(User.username == "sales"))
        customer = Customer(company="Harbour Pilots", owner=sales)
        opp_id = create_opportunity(session, customer, "Pilot boat", Decimal("3000000"), "sales", stage=2).id
    page = browser_page
    sign_in(page, live_server, "sales")
    page.goto(f"{live_server}/opportunities/")
    card = page.locator(f".crm-opp[data-id='{opp_id}']")
    card.drag_to(page.locator(".crm-stage[data-stage='5'] .crm-stage-drop"))
    expect(card.locator("[data-probability]")).to_have_text("50")
    expect(page.locator(".crm-stage[data-stage='5'] [data-count]")).to_have_text("1")
    # the script writes amounts as the server does (crm.formatting.money: ¥, not Intl's English CN¥)
    expect(card.locator("[data-weighted]")).to_have_text("¥1,500,000.00")
    expect(page.locator("[data-pipeline-weighted]")).to_have_text("¥1,500,000.00")
    with platform.sessions() as session:
        assert session.get(Opportunity, opp_id).stage == 5
