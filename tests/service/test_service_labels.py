"""The desk list's labels (crm.service.labels.Labels): each key reads as ``label`` reads it, translated once."""

from __future__ import annotations

from crm.service import labels


def test_labels_read_as_label_does_unknown_keys_as_stored_and_none_as_nothing(app):
    with app.test_request_context("/"):
        skills = labels.Labels("skill")
        assert skills["hull"] == labels.label("skill", "hull") == "Hull"
        assert skills["welding robots"] == "welding robots"  # an engineer's own skill
        assert skills[None] == "" and skills[""] == ""
        assert set(skills) == {"hull", "welding robots", None, ""}  # each key translated once, then kept
