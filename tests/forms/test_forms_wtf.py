"""build_wtform(), apply_errors() and render_fields() inside a Flask app."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from lxml import html
from werkzeug.datastructures import MultiDict

from forms import (
    FieldDefinition,
    FormDefinition,
    FormValidationError,
    apply_errors,
    build_wtform,
    render_fields,
    validate,
)

OPTIONS = (("low", "Low"), ("high", "High"))
FORM = FormDefinition((
    FieldDefinition(id="name", label="Name", type="string", required=True, minlength=2, maxlength=40,
                    pattern="[A-Za-z ]+", help="Legal name"),
    FieldDefinition(id="note", label="Note", type="text", maxlength=500),
    FieldDefinition(id="count", label="Count", type="integer", min=1, max=9),
    FieldDefinition(id="amount", label="Amount", type="decimal", min=Decimal("0.5")),
    FieldDefinition(id="due", label="Due", type="date", min=date(2024, 1, 1), default_from="deadline"),
    FieldDefinition(id="at", label="At", type="datetime", max=datetime(2024, 12, 31, 18)),
    FieldDefinition(id="agree", label="Agree", type="boolean", required=True),
    FieldDefinition(id="tier", label="Tier", type="enum", options=OPTIONS, default="high"),
    FieldDefinition(id="tags", label="Tags", type="multi_enum", options=OPTIONS),
    FieldDefinition(id="customer", label="Customer", type="reference", reference="customer"),
    FieldDefinition(id="offer", label="Offer", type="file"),
    FieldDefinition(id="data", label="Data", type="string", readonly=True),
))


def parse(markup: str):
    return html.fragment_fromstring(str(markup), create_parent="div")


def the(tree, selector_xpath: str):
    (element,) = tree.xpath(selector_xpath)
    return element


def test_field_classes_and_html_names(app):
    with app.test_request_context():
        wtform = build_wtform(FORM, {"deadline": date(2024, 5, 1)})()
        types = {field.name: field.type for field in wtform}
    assert types == {
        "name": "StringField", "note": "TextAreaField", "count": "IntegerField", "amount": "PlainDecimalField",
        "due": "DateField", "at": "LocalDateTimeField", "agree": "BooleanField", "tier": "SelectField",
        "tags": "SelectMultipleField", "customer": "IntegerField", "offer": "FileField", "data": "StringField",
    }


def test_inputs_carry_constraint_attributes_and_initial_values(app):
    with app.test_request_context():
        tree = parse(render_fields(build_wtform(FORM, {"deadline": date(2024, 5, 1), "data": "kept"})()))
    name = the(tree, "//input[@name='name']")
    assert name.get("class") == "form-control"
    assert "required" in name.attrib
    assert (name.get("minlength"), name.get("maxlength"), name.get("pattern")) == ("2", "40", "[A-Za-z ]+")
    assert the(tree, "//textarea[@name='note']").get("maxlength") == "500"
    count = the(tree, "//input[@name='count']")
    assert (count.get("type"), count.get("min"), count.get("max")) == ("number", "1", "9")
    assert "required" not in count.attrib
    assert the(tree, "//input[@name='amount']").get("min") == "0.5"
    due = the(tree, "//input[@name='due']")
    assert (due.get("type"), due.get("min"), due.get("value")) == ("date", "2024-01-01", "2024-05-01")
    at = the(tree, "//input[@name='at']")
    assert (at.get("type"), at.get("max")) == ("datetime-local", "2024-12-31T18:00")
    agree = the(tree, "//input[@name='agree']")
    assert (agree.get("type"), agree.get("class"), agree.get("value")) == ("checkbox", "form-check-input", "true")
    assert the(tree, "//div[input[@name='agree']]").get("class") == "mb-3 form-check"
    tier = the(tree, "//select[@name='tier']")
    assert tier.get("class") == "form-select"
    assert tier.xpath("option/@value") == ["", "low", "high"]
    assert tier.xpath("option[@selected]/@value") == ["high"]
    tags = the(tree, "//select[@name='tags']")
    assert "multiple" in tags.attrib
    customer = the(tree, "//input[@name='customer']")
    assert (customer.get("data-lookup"), customer.get("data-reference")) == ("/api/lookup/customer", "customer")
    assert the(tree, "//input[@name='offer']").get("type") == "file"
    data = the(tree, "//input[@name='data']")
    assert "readonly" in data.attrib
    assert data.get("value") == "kept"


def test_help_text_and_label(app):
    with app.test_request_context():
        tree = parse(render_fields(build_wtform(FORM)()))
    assert the(tree, "//label[@for='name']").text == "Name"
    assert the(tree, "//div[@id='name-help']").text == "Legal name"
    assert the(tree, "//input[@name='name']").get("aria-describedby") == "name-help"
    assert tree.xpath("//div[@class='invalid-feedback']") == []


def test_validation_errors_are_rendered_next_to_their_fields(app):
    raw = MultiDict([("name", "1"), ("count", "12"), ("tier", "low")])
    with app.test_request_context(method="POST", data=raw):
        wtform = build_wtform(FORM)()
        with pytest.raises(FormValidationError) as caught:
            validate(FORM, raw)
        apply_errors(wtform, caught.value.errors)
        tree = parse(render_fields(wtform))
    name = the(tree, "//input[@name='name']")
    assert name.get("class") == "form-control is-invalid"
    assert name.get("value") == "1"
    assert name.get("aria-describedby") == "name-help name-feedback"
    assert the(tree, "//div[@id='name-feedback']").get("class") == "invalid-feedback"
    assert the(tree, "//div[@id='name-feedback']").xpath("text()") == [
        "Must be at least 2 characters.", "Does not match the required format."]
    assert the(tree, "//div[@id='count-feedback']").text == "Must be at most 9."
    assert the(tree, "//input[@name='agree']").get("class") == "form-check-input is-invalid"
    assert the(tree, "//div[@id='agree-feedback']").text == "This field is required."
    assert the(tree, "//select[@name='tier']").get("class") == "form-select"


def test_apply_errors_keeps_unknown_ids_as_form_errors(app):
    with app.test_request_context():
        wtform = build_wtform(FORM)()
        apply_errors(wtform, {"count": ["Too many."], "elsewhere": ["Something else."]})
        assert wtform.f_count.errors == ["Too many."]
        assert wtform.form_errors == ["Something else."]


def test_messages_and_labels_are_escaped(app):
    form = FormDefinition((FieldDefinition(id="x", label="<b>X</b>", type="string", help="<i>h</i>"),))
    with app.test_request_context():
        wtform = build_wtform(form)()
        apply_errors(wtform, {"x": ["<script>alert(1)</script>"]})
        markup = str(render_fields(wtform))
    assert "<script>" not in markup and "<b>" not in markup and "<i>" not in markup
    assert "&lt;script&gt;" in markup and "&lt;b&gt;X&lt;/b&gt;" in markup


@pytest.mark.parametrize("attribute", ["data", "errors", "validate", "meta", "csrf_token", "populate_obj"])
def test_field_ids_cannot_clash_with_form_attributes(app, attribute):
    form = FormDefinition((FieldDefinition(id=attribute, label="L", type="string", default="v"),))
    with app.test_request_context():
        wtform = build_wtform(form)()
        (field,) = list(wtform)
        assert (field.name, field.id, field.data) == (attribute, attribute, "v")
        assert callable(wtform.validate)


@pytest.mark.parametrize(("definition", "submitted", "tag", "kept"), [
    (FieldDefinition(id="x", label="X", type="boolean", readonly=True, default=True), {"other": "1"},
     "input", "checked"),
    (FieldDefinition(id="x", label="X", type="enum", options=OPTIONS, readonly=True, default="low"),
     {"x": "high"}, "select", "low"),
    (FieldDefinition(id="x", label="X", type="string", readonly=True, default="kept"), {"x": "forged"},
     "input", "kept"),
])
def test_readonly_fields_keep_their_value_when_redisplayed_after_a_post(app, definition, submitted, tag, kept):
    form = FormDefinition((definition,))
    with app.test_request_context(method="POST", data=submitted):
        wtform = build_wtform(form)()
        field = the(parse(render_fields(wtform)), f"//{tag}[@name='x']")
        assert wtform.validate()
    if tag == "select":
        assert "disabled" in field.attrib
        assert field.xpath("option[@selected]/@value") == [kept]
    elif definition.type == "boolean":
        assert "disabled" in field.attrib and kept in field.attrib
    else:
        assert "readonly" in field.attrib
        assert field.get("value") == kept
    assert validate(form, submitted) == {"x": definition.default}


def test_wtforms_validators_mirror_the_constraints(app):
    data = {"name": "x1", "count": "0", "due": "2023-12-31", "at": "2025-01-01T00:00", "amount": "0.1"}
    with app.test_request_context(method="POST", data=data):
        wtform = build_wtform(FORM)()
        assert not wtform.validate()
        failing = {field.name for field in wtform if field.errors}
    assert failing == {"name", "count", "amount", "agree"}


def test_valid_post_passes_wtforms_too(app):
    data = {"name": "Acme", "count": "3", "agree": "true", "tier": "low", "tags": "high"}
    with app.test_request_context(method="POST", data=data):
        wtform = build_wtform(FORM)()
        assert wtform.validate(), {field.name: field.errors for field in wtform if field.errors}
        assert (wtform.f_agree.data, wtform.f_tags.data) == (True, ["high"])


def test_csrf_token_is_rendered_as_a_hidden_input_when_enabled(app):
    app.config["WTF_CSRF_ENABLED"] = True
    with app.test_request_context():
        tree = parse(render_fields(build_wtform(FORM)()))
    token = the(tree, "//input[@name='csrf_token']")
    assert token.get("type") == "hidden" and token.get("value")
    assert token.getparent().tag == "div" and token.getparent().get("class") is None
