"""A datetime field shows its stored (UTC) value as wall-clock time in the reader's zone and reads typed text in it;
date fields never shift (issue 14 item 4)."""

from __future__ import annotations

from datetime import date, datetime

from lxml import html

from forms import FieldDefinition, FormDefinition, build_wtform, render_fields, validate
from handlers.orders import reminder_moment
from i18n import zones

FORM = FormDefinition((FieldDefinition(id="at", label="At", type="datetime"),
                       FieldDefinition(id="on", label="On", type="date")))


def _inputs(app, values: dict) -> dict[str, str]:
    with app.test_request_context():
        tree = html.fromstring(f"<div>{render_fields(build_wtform(FORM, values)())}</div>")
    return {element.get("name"): element.get("value") for element in tree.iter("input")}


def test_the_stored_moment_is_shown_and_read_in_the_readers_zone(app):
    stored = {"at": datetime(2026, 12, 5, 1, 0), "on": date(2026, 12, 5)}
    with zones.force_zone("Asia/Shanghai"):
        assert _inputs(app, stored) == {"at": "2026-12-05T09:00", "on": "2026-12-05"}
        assert validate(FORM, {"at": "2026-12-05T09:00", "on": "2026-12-05"}) == stored
    with zones.force_zone("Europe/Berlin"):
        assert _inputs(app, stored) == {"at": "2026-12-05T02:00", "on": "2026-12-05"}
        assert validate(FORM, {"at": "2026-12-05T09:00+08:00", "on": "2026-12-05"}) == stored


def test_payment_reminders_fire_at_nine_in_the_site_zone():
    zones.configure("Asia/Shanghai")
    try:
        assert reminder_moment(date(2026, 12, 5)) == "2026-12-05T09:00:00+08:00"  # 01:00 UTC
    finally:
        zones.configure("UTC")
