"""A service order corrected through the API (issue 15): fields no waiting step enters can be changed under
If-Match; a field the waiting step enters is refused with 409 naming the step; a change of the order is a change of
its request for ``updated_since``."""

from __future__ import annotations

import datetime as dt

from tests.orders.conftest import desk, order_processes, shop  # noqa: F401
from tests.service.test_service import prepare, request_row, start


def _order_waiting_for_confirmation(desk, shop):  # noqa: F811 - the fixtures above
    instance_id = start(desk, shop)
    desk.do(instance_id, "sr_classify", urgency="high", handling="service_order")
    prepare(desk, instance_id, items=["SVC-INSPECT"])
    found = request_row(desk.platform, instance_id)
    return found.id, found.order.id


def test_a_field_the_waiting_step_enters_is_409_naming_the_step(desk, shop, api):  # noqa: F811
    _, order_id = _order_waiting_for_confirmation(desk, shop)
    agent = api("agent")
    url = f"/api/service-orders/{order_id}"
    etag = agent.get(url).headers["ETag"]
    refused = agent.patch(url, json={"fee_quote": "999.00"}, headers={"If-Match": etag})
    assert refused.status_code == 409
    assert "fee_quote" in refused.get_json()["error"] and "Customer confirmation" in refused.get_json()["error"]


def test_other_fields_change_under_if_match_and_the_request_shows_as_changed(desk, shop, api):  # noqa: F811
    request_id, order_id = _order_waiting_for_confirmation(desk, shop)
    agent = api("agent")
    url = f"/api/service-orders/{order_id}"
    read = agent.get(url)
    before = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    assert agent.get(f"/api/service-requests?updated_since={before}").get_json()["items"] == []
    changed = agent.patch(url, json={"materials_note": "Spare fuses from stock", "required_skill": "hull"},
                          headers={"If-Match": read.headers["ETag"]})
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["required_skill"] == "hull" and changed.headers["ETag"] != read.headers["ETag"]
    assert agent.patch(url, json={"work_report": "x"}, headers={"If-Match": read.headers["ETag"]}).status_code == 412
    assert agent.patch(url, json={"planned_hours": "-1"}, headers={"If-Match": changed.headers["ETag"]}
                       ).status_code == 422
    requests = agent.get(f"/api/service-requests?updated_since={before}").get_json()["items"]
    assert [r["id"] for r in requests] == [request_id]
    orders = agent.get(f"/api/service-orders?updated_since={before}").get_json()["items"]
    assert [o["id"] for o in orders] == [order_id]


def test_the_engineer_may_not_and_a_settled_order_does_not_change(desk, shop, api, platform):  # noqa: F811
    from crm.service.service_desk import ServiceOrder

    _, order_id = _order_waiting_for_confirmation(desk, shop)
    url = f"/api/service-orders/{order_id}"
    assert api("engineer").patch(url, json={"work_report": "x"}, headers={"If-Match": '"1"'}).status_code == 403
    with platform.sessions.begin() as session:
        session.get(ServiceOrder, order_id).status = "cancelled"
    agent = api("agent")
    closed = agent.patch(url, json={"work_report": "x"}, headers={"If-Match": agent.get(url).headers["ETag"]})
    assert closed.status_code == 409 and "cancelled" in closed.get_json()["error"]
