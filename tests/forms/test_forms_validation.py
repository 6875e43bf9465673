"""validate() and initial_values(): typing, constraints, presence and readonly fields."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from werkzeug.datastructures import MultiDict

from forms import FieldDefinition, FormDefinition, FormValidationError, initial_values, validate
from i18n import force_locale

OPTIONS = (("low", "Low"), ("mid", "Medium"), ("high", "High"))
UPLOAD = {"name": "offer.pdf", "size": 1234, "content_type": "application/pdf", "storage_key": "ab/cd"}


def field(field_type: str, **kwargs) -> FieldDefinition:
    if field_type in ("enum", "multi_enum"):
        kwargs.setdefault("options", OPTIONS)
    if field_type == "reference":
        kwargs.setdefault("reference", "customer")
    return FieldDefinition(id="x", label="X", type=field_type, **kwargs)


def one(definition: FieldDefinition, raw: dict, **kwargs):
    """The value validate() gives the single field ``x``."""
    return validate(FormDefinition((definition,)), raw, **kwargs)["x"]


def errors_of(definition: FieldDefinition, raw: dict, **kwargs) -> list[str]:
    with pytest.raises(FormValidationError) as caught:
        validate(FormDefinition((definition,)), raw, **kwargs)
    assert list(caught.value.errors) == ["x"]
    return caught.value.errors["x"]


SIGNED = {"integer": {"min": -100}, "decimal": {"min": Decimal(-100)}}
"""Numbers are not negative unless the field declares a ``min`` (tests/security/test_number_bounds.py)."""


@pytest.mark.parametrize(("field_type", "raw", "expected"), [
    ("string", "  Acme Ltd ", "Acme Ltd"),
    ("text", "line 1\r\nline 2\n", "line 1\nline 2\n"),
    ("integer", 42, 42),
    ("integer", "42", 42),
    ("integer", " -7 ", -7),
    ("integer", 3.0, 3),
    ("decimal", "12.50", Decimal("12.50")),
    ("decimal", 12, Decimal(12)),
    ("decimal", 0.1, Decimal("0.1")),
    ("decimal", "-.5", Decimal("-0.5")),
    ("decimal", "1e3", Decimal("1E+3")),
    ("decimal", Decimal("3.14"), Decimal("3.14")),
    ("date", "2024-02-29", date(2024, 2, 29)),
    ("date", date(2024, 1, 2), date(2024, 1, 2)),
    ("datetime", "2024-05-01T09:30", datetime(2024, 5, 1, 9, 30)),
    ("datetime", "2024-05-01 09:30:15", datetime(2024, 5, 1, 9, 30, 15)),
    ("datetime", datetime(2024, 5, 1, 9, 30), datetime(2024, 5, 1, 9, 30)),
    ("boolean", True, True),
    ("boolean", False, False),
    ("boolean", "on", True),
    ("boolean", "TRUE", True),
    ("boolean", "yes", True),
    ("boolean", "1", True),
    ("boolean", 1, True),
    ("boolean", "false", False),
    ("boolean", "no", False),
    ("boolean", "0", False),
    ("enum", "mid", "mid"),
    ("multi_enum", ["high", "low"], ["high", "low"]),
    ("multi_enum", ["low", "low", ""], ["low"]),
    ("multi_enum", "mid", ["mid"]),
    ("reference", 17, 17),
    ("reference", "17", 17),
    ("file", dict(UPLOAD, extra="dropped"), UPLOAD),
])
def test_valid_values_are_typed(field_type, raw, expected):
    value = one(field(field_type, **SIGNED.get(field_type, {})), {"x": raw})
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(("field_type", "raw", "message"), [
    ("string", 12, "Not a valid text value."),
    ("text", ["a"], "Not a valid text value."),
    ("integer", "4.5", "Not a valid whole number."),
    ("integer", 4.5, "Not a valid whole number."),
    ("integer", "1_000", "Not a valid whole number."),
    ("integer", "twelve", "Not a valid whole number."),
    ("integer", True, "Not a valid whole number."),
    ("decimal", "NaN", "Not a valid number."),
    ("decimal", "Infinity", "Not a valid number."),
    ("decimal", float("inf"), "Not a valid number."),
    ("decimal", Decimal("NaN"), "Not a valid number."),
    ("decimal", "12,5", "Not a valid number."),
    ("decimal", False, "Not a valid number."),
    ("date", "2023-02-29", "Not a valid date (YYYY-MM-DD)."),
    ("date", "01/02/2024", "Not a valid date (YYYY-MM-DD)."),
    ("date", "20240102", "Not a valid date (YYYY-MM-DD)."),
    ("date", datetime(2024, 1, 2, 3, 4), "Not a valid date (YYYY-MM-DD)."),
    ("datetime", "2024-05-01", "Not a valid date and time (YYYY-MM-DDTHH:MM)."),
    ("datetime", "2024-05-01T25:00", "Not a valid date and time (YYYY-MM-DDTHH:MM)."),
    ("datetime", "2024-05-01T09:30+25:00", "Not a valid date and time (YYYY-MM-DDTHH:MM)."),
    ("boolean", "maybe", "Not a valid yes/no value."),
    ("boolean", 2, "Not a valid yes/no value."),
    ("enum", "huge", "Not a valid choice."),
    ("enum", 1, "Not a valid choice."),
    ("multi_enum", ["low", "huge", "vast"], "Not a valid choice: huge, vast."),
    ("multi_enum", {"low": True}, "Not a valid list of choices."),
    ("multi_enum", [1], "Not a valid list of choices."),
    ("reference", "abc", "Not a valid reference."),
    ("reference", 0, "Not a valid reference."),
    ("reference", "-3", "Not a valid reference."),
    ("file", "offer.pdf", "Not a valid file upload."),
    ("file", dict(UPLOAD, size=-1), "Not a valid file upload."),
    ("file", dict(UPLOAD, size=True), "Not a valid file upload."),
    ("file", dict(UPLOAD, storage_key=""), "Not a valid file upload."),
    ("file", {"name": "offer.pdf"}, "Not a valid file upload."),
])
def test_invalid_values_are_refused_with_a_message(field_type, raw, message):
    assert errors_of(field(field_type), {"x": raw}) == [message]


@pytest.mark.parametrize(("field_type", "empty"), [
    ("string", None), ("text", None), ("integer", None), ("decimal", None), ("date", None),
    ("datetime", None), ("boolean", False), ("enum", None), ("multi_enum", []),
    ("reference", None), ("file", None),
])
@pytest.mark.parametrize("raw", [{}, {"x": None}, {"x": ""}, {"x": "   "}, {"x": []}, {"x": [""]}])
def test_missing_optional_value_gives_the_empty_value(field_type, empty, raw):
    assert one(field(field_type), raw) == empty


@pytest.mark.parametrize("field_type", [
    "string", "text", "integer", "decimal", "date", "datetime", "boolean",
    "enum", "multi_enum", "reference", "file",
])
@pytest.mark.parametrize("raw", [{}, {"x": ""}, {"x": None}])
def test_missing_required_value_is_refused(field_type, raw):
    assert errors_of(field(field_type, required=True), raw) == ["This field is required."]


@pytest.mark.parametrize("raw", [False, "false", "0", "no"])
def test_required_boolean_must_be_true(raw):
    assert errors_of(field("boolean", required=True), {"x": raw}) == ["This field is required."]


@pytest.mark.parametrize(("field_type", "raw", "expected"), [
    ("integer", 0, 0), ("integer", "0", 0), ("decimal", "0", Decimal(0)), ("boolean", "on", True),
])
def test_required_falsy_values_that_are_present_are_accepted(field_type, raw, expected):
    assert one(field(field_type, required=True), {"x": raw}) == expected


@pytest.mark.parametrize(("definition", "raw", "messages"), [
    (field("integer", min=10), "9", ["Must be at least 10."]),
    (field("integer", max=20), 21, ["Must be at most 20."]),
    (field("decimal", min=Decimal("0.5")), "0.49", ["Must be at least 0.5."]),
    (field("decimal", max=Decimal("100")), "100.01", ["Must be at most 100."]),
    (field("date", min=date(2024, 1, 1)), "2023-12-31", ["Must be on or after 1 Jan 2024."]),
    (field("date", max=date(2024, 1, 1)), "2024-01-02", ["Must be on or before 1 Jan 2024."]),
    (field("datetime", min=datetime(2024, 1, 1, 8)), "2024-01-01T07:59",
     ["Must be on or after 1 Jan 2024 08:00."]),
    (field("datetime", max=datetime(2024, 1, 1, 8)), "2024-01-01T08:01",
     ["Must be on or before 1 Jan 2024 08:00."]),
    (field("string", minlength=3), "ab", ["Must be at least 3 characters."]),
    (field("text", minlength=2), "a", ["Must be at least 2 characters."]),
    (field("string", maxlength=1), "ab", ["Must be at most 1 character."]),
    (field("string", maxlength=3), "abcd", ["Must be at most 3 characters."]),
    (field("text", maxlength=5), "a\r\nb\r\nc\r\n", ["Must be at most 5 characters."]),
    (field("string", pattern=r"[A-Z]{2}\d+"), "AB12x", ["Does not match the required format."]),
    (field("string", pattern=r"\d+"), "x12", ["Does not match the required format."]),
    (field("string", minlength=5, pattern=r"\d+"), "ab",
     ["Must be at least 5 characters.", "Does not match the required format."]),
])
def test_constraint_violations_are_reported(definition, raw, messages):
    assert errors_of(definition, {"x": raw}) == messages


def test_limits_read_as_the_reader_writes_them():
    """Thousands separators, never scientific notation, dates in the reader's language."""
    assert errors_of(field("decimal", max=Decimal("1E+12")), {"x": "1000000000001"}) == [
        "Must be at most 1,000,000,000,000."]
    with force_locale("zh_CN"):
        assert errors_of(field("decimal", max=Decimal("10000")), {"x": "10001"}) == ["不能大于 10,000。"]
        assert errors_of(field("date", min=date(2024, 1, 1)), {"x": "2023-12-31"}) == ["不能早于 2024年1月1日。"]


@pytest.mark.parametrize(("definition", "raw", "expected"), [
    (field("integer", min=10, max=20), "10", 10),
    (field("integer", min=10, max=20), 20, 20),
    (field("decimal", min=Decimal("0.5"), max=Decimal("1")), "0.50", Decimal("0.50")),
    (field("date", min=date(2024, 1, 1), max=date(2024, 1, 31)), "2024-01-31", date(2024, 1, 31)),
    (field("datetime", min=datetime(2024, 1, 1, 8)), "2024-01-01T08:00", datetime(2024, 1, 1, 8)),
    (field("string", minlength=2, maxlength=3), "abc", "abc"),
    (field("text", maxlength=4), "a\r\nb", "a\nb"),
    (field("string", pattern=r"[A-Z]{2}\d+"), " AB12 ", "AB12"),
])
def test_values_within_constraints_are_accepted(definition, raw, expected):
    assert one(definition, {"x": raw}) == expected


def test_constraints_do_not_apply_to_a_missing_optional_value():
    assert one(field("string", minlength=3, pattern=r"\d+"), {"x": ""}) is None


def test_errors_of_all_fields_are_collected():
    form = FormDefinition((
        FieldDefinition(id="name", label="Name", type="string", required=True),
        FieldDefinition(id="amount", label="Amount", type="integer", min=1),
        FieldDefinition(id="note", label="Note", type="text"),
    ))
    with pytest.raises(FormValidationError) as caught:
        validate(form, {"name": "", "amount": "0", "note": "fine"})
    assert caught.value.errors == {"name": ["This field is required."], "amount": ["Must be at least 1."]}
    assert "amount" in str(caught.value)


def test_unknown_keys_are_dropped_and_only_fields_are_returned():
    form = FormDefinition((FieldDefinition(id="name", label="Name", type="string"),
                           FieldDefinition(id="flag", label="Flag", type="boolean")))
    assert validate(form, {"name": "Acme", "is_admin": True, "csrf_token": "t"}) == {
        "name": "Acme", "flag": False,
    }


def test_html_form_data_in_a_multidict():
    form = FormDefinition((
        FieldDefinition(id="tags", label="Tags", type="multi_enum", options=OPTIONS),
        FieldDefinition(id="amount", label="Amount", type="decimal"),
        FieldDefinition(id="due", label="Due", type="date"),
        FieldDefinition(id="agree", label="Agree", type="boolean"),
    ))
    raw = MultiDict([("tags", "low"), ("tags", "high"), ("amount", "9.90"), ("due", "2024-03-01"),
                     ("agree", "on")])
    assert validate(form, raw) == {
        "tags": ["low", "high"], "amount": Decimal("9.90"), "due": date(2024, 3, 1), "agree": True,
    }


def test_json_data_with_native_types():
    form = FormDefinition((
        FieldDefinition(id="tags", label="Tags", type="multi_enum", options=OPTIONS),
        FieldDefinition(id="count", label="Count", type="integer"),
        FieldDefinition(id="agree", label="Agree", type="boolean"),
        FieldDefinition(id="customer", label="Customer", type="reference", reference="customer"),
    ))
    raw = {"tags": ["mid"], "count": 3, "agree": True, "customer": 8}
    assert validate(form, raw) == {"tags": ["mid"], "count": 3, "agree": True, "customer": 8}


def test_a_reference_is_checked_by_the_callable():
    asked = []

    def problem(kind: str, record_id: int) -> str | None:
        asked.append((kind, record_id))
        return None if record_id == 5 else "No such contact."

    definition = field("reference", reference="contact")
    assert one(definition, {"x": "5"}, reference_problem=problem) == 5
    assert errors_of(definition, {"x": 6}, reference_problem=problem) == ["No such contact."]
    assert asked == [("contact", 5), ("contact", 6)]


def test_a_reference_is_not_checked_for_a_missing_value():
    def problem(kind: str, record_id: int) -> str | None:
        raise AssertionError("must not be called")

    assert one(field("reference"), {"x": ""}, reference_problem=problem) is None


@pytest.mark.parametrize(("definition", "context", "expected"), [
    (field("integer", readonly=True, default=5), None, 5),
    (field("integer", readonly=True, default=5, default_from="quoted"), {"quoted": 7}, 7),
    (field("integer", readonly=True, default_from="quoted"), {"x": 9, "quoted": 7}, 9),
    (field("string", readonly=True, required=True), {}, None),
    (field("boolean", readonly=True), {}, False),
])
def test_readonly_fields_ignore_the_submitted_value(definition, context, expected):
    assert one(definition, {"x": "1234"}, context=context) == expected


def test_initial_values_follow_context_then_default_from_then_default():
    form = FormDefinition((
        FieldDefinition(id="a", label="A", type="integer", default=1, default_from="src"),
        FieldDefinition(id="b", label="B", type="integer", default=1, default_from="src"),
        FieldDefinition(id="c", label="C", type="integer", default=1, default_from="missing"),
        FieldDefinition(id="d", label="D", type="integer"),
        FieldDefinition(id="e", label="E", type="boolean"),
        FieldDefinition(id="f", label="F", type="multi_enum", options=OPTIONS, default=("low",)),
        FieldDefinition(id="g", label="G", type="multi_enum", options=OPTIONS),
    ))
    values = initial_values(form, {"a": 3, "src": 2})
    assert values == {"a": 3, "b": 2, "c": 1, "d": None, "e": False, "f": ["low"], "g": []}
    assert initial_values(form)["b"] == 1


def test_initial_multi_enum_default_is_a_fresh_list():
    form = FormDefinition((FieldDefinition(id="f", label="F", type="multi_enum", options=OPTIONS,
                                           default=("low",)),))
    initial_values(form)["f"].append("high")
    assert initial_values(form)["f"] == ["low"]
