"""The records API reads ``updated_since`` without an offset in the caller's own zone and answers UTC with Z
(issue 14 item 4)."""

from __future__ import annotations

import datetime as dt


def test_updated_since_is_read_in_the_callers_zone(api, user_timezone):
    user_timezone("sales", "Asia/Shanghai")
    sales = api("sales")
    created = sales.post("/api/customers", json={"company": "Huanghai Shipyard", "industry": "Shipbuilding"})
    assert created.status_code == 201, created.get_json()
    customer = created.get_json()
    changed = dt.datetime.fromisoformat(customer["updated_at"].removesuffix("Z"))  # UTC
    shanghai_wall_clock = changed + dt.timedelta(hours=8)
    before = (shanghai_wall_clock - dt.timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%S")
    after = (shanghai_wall_clock + dt.timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%S")
    assert [c["id"] for c in sales.get(f"/api/customers?updated_since={before}").get_json()["items"]] == [
        customer["id"]]
    assert sales.get(f"/api/customers?updated_since={after}").get_json()["items"] == []
    assert customer["updated_at"].endswith("Z")
