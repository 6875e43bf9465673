"""Service rates and terms by customer grade come from deployed decision tables, versioned like any process file.

The process owner changes a rate by deploying an edited ``service_policy.dmn``: settlements of instances started
after it use the new rate and record table version 2; a settlement already made, and an instance started before,
keep version 1. Quotes take their discount and days to pay from ``customer_grade_terms.dmn`` the same way.
"""

from __future__ import annotations

import datetime as dt
import html
import io
from decimal import Decimal

import pytest
from sqlalchemy import select

from crm.orders.quotes import Quote
from engine import decisions
from tests.orders.driver import next_monday
from tests.service.test_service import prepare, request_row, settlement_of, start
from tests.support.api_driver import BPMN_DIR


def _edited(name: str, old: str, new: str) -> str:
    text = (BPMN_DIR / name).read_text()
    assert text.count(old) >= 1, old
    return text.replace(old, new)


def _upload(login, name: str, text: str):
    return login("owner").post("/processes/library/upload", data={"files": (io.BytesIO(text.encode()), name)},
                               content_type="multipart/form-data")


def _to_settlement(desk, shop, day: int) -> int:
    """A repair of 2 labour hours and 99.99 of materials with one inspection (450.00), ready to settle; the
    engineer works on the ``day``-th day after next Monday."""
    instance_id = start(desk, shop, grade="ordinary")
    desk.do(instance_id, "sr_classify", urgency="high", handling="service_order")
    prepare(desk, instance_id, items=["SVC-INSPECT"], skill="hull", hours="2",
            at=next_monday() + dt.timedelta(days=day))
    desk.do(instance_id, "sr_confirm", customer_confirmed=True)
    desk.do(instance_id, "sr_dispatch")
    desk.do(instance_id, "sr_carry_out", labour_hours="2", materials_cost="99.99")
    desk.do(instance_id, "sr_follow_up", attitude=5, quality=5, complaint=False)
    return instance_id


@pytest.mark.parametrize(("policy", "figures"), [
    ("standard", (Decimal("280.0"), Decimal(100), Decimal(100), Decimal(100))),
    ("service_contract", (Decimal("280.0"), Decimal(0), Decimal(100), Decimal(50))),
    ("warranty", (Decimal("280.0"), Decimal(0), Decimal(0), Decimal(0))),
])
def test_the_service_policy_table_gives_each_policys_rate_and_shares(platform, order_processes, policy, figures):
    with platform.sessions() as session:
        decision = decisions.decide(session, "service_policy", {"policy": policy})
    assert (decision.key, decision.version) == ("service_policy", 1)
    outputs = decision.outputs
    assert (outputs["labour_rate"], outputs["labour_share"], outputs["materials_share"],
            outputs["items_share"]) == figures


@pytest.mark.parametrize(("grade", "terms"), [
    ("key", (Decimal(10), 60, 90)), ("ordinary", (Decimal(5), 30, 60)), ("prospect", (Decimal(0), 30, 40)),
    ("", (Decimal(0), 30, 40)),
])
def test_the_grade_terms_table_gives_discount_days_to_pay_and_priority_of_supply(platform, order_processes, grade,
                                                                                terms):
    with platform.sessions() as session:
        outputs = decisions.decide(session, "customer_grade_terms", {"customer_grade": grade}).outputs
    assert (outputs["grade_discount"], outputs["payment_days"], outputs["supply_priority"]) == terms


def test_a_new_labour_rate_prices_new_settlements_and_old_ones_keep_their_version(desk, shop, login):
    settled_before = _to_settlement(desk, shop, 0)
    desk.do(settled_before, "sr_settle", policy="standard")
    running_before = _to_settlement(desk, shop, 1)

    response = _upload(login, "service_policy.dmn", _edited(
        "service_policy.dmn", '<outputEntry id="policy_rule_standard_rate"><text>280.00</text>',
        '<outputEntry id="policy_rule_standard_rate"><text>315.50</text>'))
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]

    after = _to_settlement(desk, shop, 2)
    desk.do(after, "sr_settle", policy="standard")
    desk.do(running_before, "sr_settle", policy="standard")  # a running instance keeps its rules

    def settled(instance_id):
        return settlement_of(desk.platform, request_row(desk.platform, instance_id).order.id)[0]

    old, running, new = settled(settled_before), settled(running_before), settled(after)
    # 2 h x 280.00 = 560.00 + 99.99 + 450.00 = 1,109.99 less the ordinary grade's 5 % = 1,054.4905
    assert (old.labour_rate, old.amount, old.policy_version, old.discount_version) == (
        Decimal("280.00"), Decimal("1054.49"), 1, 1)
    assert (running.labour_rate, running.amount, running.policy_version) == (Decimal("280.00"), Decimal("1054.49"), 1)
    # 2 h x 315.50 = 631.00 + 99.99 + 450.00 = 1,180.99 less 5 % = 1,121.9405
    assert (new.labour_rate, new.amount, new.policy_version) == (Decimal("315.50"), Decimal("1121.94"), 2)

    agent = desk.user("agent")
    page = agent.get(f"/service/requests/{request_row(desk.platform, after).id}").get_data(as_text=True)
    assert "service charging policy table, version 2" in page and "¥315.50" in page
    page = agent.get(f"/service/requests/{request_row(desk.platform, settled_before).id}").get_data(as_text=True)
    assert "service charging policy table, version 1" in page and "¥280.00" in page


def test_a_new_service_order_is_quoted_at_the_newest_standard_rate(desk, shop, login):
    _upload(login, "service_policy.dmn", _edited(
        "service_policy.dmn", '<outputEntry id="policy_rule_standard_rate"><text>280.00</text>',
        '<outputEntry id="policy_rule_standard_rate"><text>300</text>'))
    instance_id = start(desk, shop)
    desk.do(instance_id, "sr_classify", urgency="high", handling="service_order")
    prepare(desk, instance_id, items=["SVC-INSPECT"], skill="hull", hours="2")
    assert request_row(desk.platform, instance_id).order.fee_quote == Decimal("1050.00")  # 450 + 2 x 300


def _new_quote(client, customer_id: int, discount: str = "") -> Quote:
    response = client.post("/quotes/", {"customer_id": customer_id, "title": "Winch overhaul",
                                        "valid_until": "2031-01-31", "discount_percent": discount,
                                        "tax_percent": "13", "currency": "CNY"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return int(response.headers["Location"].rsplit("/", 1)[1])


def _quote(platform, quote_id: int) -> Quote:
    with platform.sessions() as session:
        return session.scalar(select(Quote).where(Quote.id == quote_id))


def test_a_quote_takes_its_discount_and_days_to_pay_from_the_grade_terms_table(platform, order_processes, shop,
                                                                                login):
    sales = login("sales")
    key_quote = _new_quote(sales, shop["customers"]["key"])
    typed = _new_quote(sales, shop["customers"]["ordinary"], discount="3")
    found = _quote(platform, key_quote)
    assert (found.discount_percent, found.payment_days, found.discount_version) == (Decimal("10.00"), 60, 1)
    found = _quote(platform, typed)
    assert (found.discount_percent, found.payment_days, found.discount_version) == (Decimal("3.00"), 30, None)

    response = _upload(login, "customer_grade_terms.dmn", _edited(
        "customer_grade_terms.dmn", '<outputEntry id="terms_rule_key_discount"><text>10</text>',
        '<outputEntry id="terms_rule_key_discount"><text>12.5</text>'))
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]
    later = _new_quote(sales, shop["customers"]["key"])
    found = _quote(platform, later)
    assert (found.discount_percent, found.payment_days, found.discount_version) == (Decimal("12.50"), 60, 2)
    assert _quote(platform, key_quote).discount_version == 1  # an existing quote keeps what priced it

    page = html.unescape(sales.get(f"/quotes/{key_quote}").get_data(as_text=True))
    assert "Payment within 60 days (the customer's grade)." in page
    assert "Discount from the terms by customer grade, table version 1." in page
    sales.post(f"/quotes/{key_quote}/lines", {"product_id": shop["products"]["HULL"], "quantity": "1"})
    sales.post(f"/quotes/{key_quote}/status", {"status": "accepted"})
    assert _quote(platform, key_quote).status == "accepted"
    page = html.unescape(sales.get(f"/quotes/{key_quote}").get_data(as_text=True))
    assert 'name="payment_terms" value="Payment within 60 days of invoice"' in page  # the contract's default
    assert "Discount typed by hand" in sales.get(f"/quotes/{typed}").get_data(as_text=True)


@pytest.mark.parametrize(("old", "new", "message"), [
    ('<outputEntry id="policy_rule_standard_rate"><text>280.00</text>',
     '<outputEntry id="policy_rule_standard_rate"><text>280,00</text>',
     "rule 1: 人工费率（元/工时） is a number, not 280,00"),
    ('<outputEntry id="policy_rule_standard_rate"><text>280.00</text>',
     '<outputEntry id="policy_rule_standard_rate"><text>"abc"</text>',
     'rule 1: 人工费率（元/工时） is a number, not "abc"'),
    ('hitPolicy="UNIQUE"', 'hitPolicy="ANY"', "hit policy ANY is not supported; use UNIQUE, FIRST or COLLECT"),
    ('name="labour_rate" typeRef="number"', 'name="labour_rate" typeRef="money"',
     "output 人工费率（元/工时） has type money; use one of string, number, integer, boolean, date"),
    ('<inputEntry id="policy_rule_standard_policy"><text>"standard"</text></inputEntry>', "",
     "rule 1 has 4 cells; the table has 5 columns"),
    ('<inputEntry id="policy_rule_warranty_policy"><text>"warranty"</text>',
     '<inputEntry id="policy_rule_warranty_policy"><text>"standard"</text>',
     "rules 1 and 3 can both match the same inputs, but hit policy UNIQUE allows one match only"),
    ('<inputEntry id="policy_rule_warranty_policy"><text>"warranty"</text>',
     '<inputEntry id="policy_rule_warranty_policy"><text>-</text>', "rules 2 and 3 can both match the same inputs"),
])
def test_deploy_refuses_a_malformed_table_with_a_clear_message(platform, order_processes, login, old, new, message):
    response = _upload(login, "service_policy.dmn", _edited("service_policy.dmn", old, new))
    assert response.status_code == 422
    assert message in html.unescape(response.get_data(as_text=True))
    with platform.sessions() as session:
        assert decisions.latest_decision(session, "service_policy").version == 1


def test_dispatch_is_ranked_by_the_grades_priority_of_supply(desk, shop):
    ranked = {}
    for day, grade in enumerate(("key", "ordinary", "prospect")):
        instance_id = start(desk, shop, grade=grade)
        desk.do(instance_id, "sr_classify", urgency="normal", handling="service_order")
        prepare(desk, instance_id, items=["SVC-INSPECT"], skill="hull", hours="1",
                at=next_monday() + dt.timedelta(days=day), free=True)
        ranked[grade] = desk.task(instance_id, "sr_dispatch").priority
    assert ranked == {"key": 90, "ordinary": 60, "prospect": 40}
