"""FieldDefinition and FormDefinition: construction checks and the JSON API description."""

import json
from datetime import date, datetime
from decimal import Decimal

import pytest

from forms import FIELD_TYPES, FieldDefinition, FormDefinition, json_value, lookup_url


def test_platform_field_types():
    assert FIELD_TYPES == (
        "string", "text", "integer", "decimal", "date", "datetime",
        "boolean", "enum", "multi_enum", "reference", "file",
    )


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"type": "long"}, "unknown field type 'long'"),
    ({"type": "reference"}, "unknown reference kind None"),
    ({"type": "reference", "reference": "invoice"}, "unknown reference kind 'invoice'"),
])
def test_bad_definitions_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        FieldDefinition(id="x", label="X", **kwargs)


def test_definitions_are_frozen():
    field = FieldDefinition(id="x", label="X", type="string")
    with pytest.raises(AttributeError):
        field.label = "Y"


def test_field_to_api_lists_every_key():
    field = FieldDefinition(id="tier", label="Tier", type="enum", required=True,
                            options=(("a", "Gold"), ("b", "Silver")), default="a", help="Pick one")
    assert field.to_api() == {
        "id": "tier", "label": "Tier", "type": "enum", "required": True, "readonly": False,
        "options": [{"value": "a", "label": "Gold"}, {"value": "b", "label": "Silver"}],
        "min": None, "max": None, "minlength": None, "maxlength": None, "pattern": None,
        "default": "a", "reference": None, "help": "Pick one",
    }


@pytest.mark.parametrize("kind", ["customer", "contact", "user"])
def test_reference_to_api_has_the_lookup_url(kind):
    field = FieldDefinition(id="r", label="R", type="reference", reference=kind)
    assert field.to_api()["reference"] == {"kind": kind, "lookup_url": f"/api/lookup/{kind}"}
    assert lookup_url(kind) == f"/api/lookup/{kind}"


def test_form_to_api_is_json_ready():
    form = FormDefinition((
        FieldDefinition(id="due", label="Due", type="date", min=date(2024, 1, 1), default=date(2024, 2, 1)),
        FieldDefinition(id="at", label="At", type="datetime", max=datetime(2024, 1, 1, 9, 30)),
        FieldDefinition(id="sum", label="Sum", type="decimal", min=Decimal("0.01")),
        FieldDefinition(id="tags", label="Tags", type="multi_enum", options=(("a", "A"),), default=("a",)),
        FieldDefinition(id="name", label="Name", type="string", minlength=2, maxlength=5, pattern="[a-z]+"),
    ))
    api = json.loads(json.dumps(form.to_api()))
    assert [f["id"] for f in api["fields"]] == ["due", "at", "sum", "tags", "name"]
    due, at, total, tags, name = api["fields"]
    assert (due["min"], due["default"]) == ("2024-01-01", "2024-02-01")
    assert at["max"] == "2024-01-01T09:30:00Z"
    assert total["min"] == "0.01"
    assert tags["default"] == ["a"]
    assert (name["minlength"], name["maxlength"], name["pattern"]) == (2, 5, "[a-z]+")


@pytest.mark.parametrize(("value", "expected"), [
    (date(2024, 3, 1), "2024-03-01"),
    (datetime(2024, 3, 1, 7, 5), "2024-03-01T07:05:00Z"),
    (Decimal("1.10"), "1.10"),
    (("a", "b"), ["a", "b"]),
    ([Decimal("1")], ["1"]),
    (True, True),
    (None, None),
    (3, 3),
])
def test_json_value(value, expected):
    assert json_value(value) == expected
