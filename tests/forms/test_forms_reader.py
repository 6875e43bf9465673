"""read_form() and read_forms() on small inline BPMN documents."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from lxml import etree

from forms import FieldDefinition, FormDefinitionError, read_form, read_forms

HEADER = (
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"'
    ' xmlns:camunda="http://camunda.org/schema/1.0/bpmn"><bpmn:process id="p">'
)
FOOTER = "</bpmn:process></bpmn:definitions>"


def task(fields: str, tag: str = "userTask", element_id: str = "review") -> etree._Element:
    """A parsed element ``tag`` whose formData holds ``fields``."""
    xml = (f'{HEADER}<bpmn:{tag} id="{element_id}"><bpmn:extensionElements><camunda:formData>'
           f'{fields}</camunda:formData></bpmn:extensionElements></bpmn:{tag}>{FOOTER}')
    return etree.fromstring(xml.encode()).find(f".//{{http://www.omg.org/spec/BPMN/20100524/MODEL}}{tag}")


def only_field(fields: str) -> FieldDefinition:
    form = read_form(task(fields))
    assert form is not None
    assert len(form.fields) == 1
    return form.fields[0]


def constrained(field_type: str, constraints: str, extra: str = "") -> str:
    return (f'<camunda:formField id="x" label="X" type="{field_type}">{extra}'
            f"<camunda:validation>{constraints}</camunda:validation></camunda:formField>")


def test_reads_a_field_with_all_its_parts():
    field = only_field(
        '<camunda:formField id="note" label="Note" type="string" defaultValue="hello">'
        '<camunda:properties><camunda:property id="help" value="Say hi"/>'
        '<camunda:property id="colour" value="ignored"/></camunda:properties>'
        '<camunda:validation><camunda:constraint name="required"/>'
        '<camunda:constraint name="minlength" config="2"/><camunda:constraint name="maxlength" config="10"/>'
        r'<camunda:constraint name="pattern" config="[a-z]+"/></camunda:validation></camunda:formField>'
    )
    assert field == FieldDefinition(
        id="note", label="Note", type="string", required=True, minlength=2, maxlength=10,
        pattern="[a-z]+", default="hello", help="Say hi",
    )


def test_label_defaults_to_the_id():
    assert only_field('<camunda:formField id="amount" type="integer"/>').label == "amount"


def test_camunda_long_is_an_integer():
    field = only_field(constrained("long", '<camunda:constraint name="min" config="1"/>'))
    assert (field.type, field.min) == ("integer", 1)


@pytest.mark.parametrize(("field_type", "low", "high", "expected"), [
    ("integer", "-5", "5", (-5, 5)),
    ("decimal", "0.5", "99.95", (Decimal("0.5"), Decimal("99.95"))),
    ("date", "2024-01-01", "2024-12-31", (date(2024, 1, 1), date(2024, 12, 31))),
    ("datetime", "2024-01-01T08:00", "2024-01-01T18:00",
     (datetime(2024, 1, 1, 8), datetime(2024, 1, 1, 18))),
])
def test_min_and_max_have_the_field_type(field_type, low, high, expected):
    field = only_field(constrained(
        field_type,
        f'<camunda:constraint name="min" config="{low}"/><camunda:constraint name="max" config="{high}"/>',
    ))
    assert (field.min, field.max) == expected


@pytest.mark.parametrize(("config", "expected"), [(None, True), ("true", True), ("TRUE", True), ("false", False)])
@pytest.mark.parametrize("name", ["required", "readonly"])
def test_flag_constraints(name, config, expected):
    attribute = "" if config is None else f' config="{config}"'
    field = only_field(constrained("string", f'<camunda:constraint name="{name}"{attribute}/>'))
    assert getattr(field, name) is expected


@pytest.mark.parametrize("field_type", ["enum", "multi_enum"])
def test_options_of_choice_fields(field_type):
    field = only_field(f'<camunda:formField id="x" type="{field_type}">'
                       '<camunda:value id="a" name="Alpha"/><camunda:value id="b"/></camunda:formField>')
    assert field.options == (("a", "Alpha"), ("b", "b"))


@pytest.mark.parametrize("kind", ["customer", "contact", "user"])
def test_reference_kind(kind):
    field = only_field('<camunda:formField id="x" type="reference"><camunda:properties>'
                       f'<camunda:property id="reference" value="{kind}"/></camunda:properties></camunda:formField>')
    assert (field.type, field.reference) == ("reference", kind)


@pytest.mark.parametrize(("field_type", "default", "expected"), [
    ("string", "abc", "abc"),
    ("text", "two&#10;lines", "two\nlines"),
    ("integer", "12", 12),
    ("long", "12", 12),
    ("decimal", "1.50", Decimal("1.50")),
    ("date", "2024-06-30", date(2024, 6, 30)),
    ("datetime", "2024-06-30T12:00", datetime(2024, 6, 30, 12)),
    ("boolean", "true", True),
    ("boolean", "false", False),
])
def test_literal_default_is_coerced(field_type, default, expected):
    field = only_field(f'<camunda:formField id="x" type="{field_type}" defaultValue="{default}"/>')
    assert field.default == expected
    assert type(field.default) is type(expected)
    assert field.default_from is None


def test_choice_defaults():
    form = read_form(task(
        '<camunda:formField id="one" type="enum" defaultValue="b">'
        '<camunda:value id="a"/><camunda:value id="b"/></camunda:formField>'
        '<camunda:formField id="many" type="multi_enum" defaultValue="a, b">'
        '<camunda:value id="a"/><camunda:value id="b"/></camunda:formField>'
        '<camunda:formField id="ref" type="reference" defaultValue="3"><camunda:properties>'
        '<camunda:property id="reference" value="user"/></camunda:properties></camunda:formField>'
    ))
    assert [f.default for f in form.fields] == ["b", ("a", "b"), 3]


@pytest.mark.parametrize("default", ["${amount}", "${ amount }"])
def test_expression_default_names_a_process_variable(default):
    field = only_field(f'<camunda:formField id="x" type="integer" defaultValue="{default}"/>')
    assert (field.default_from, field.default) == ("amount", None)


def test_element_without_form_data_has_no_form():
    xml = f'{HEADER}<bpmn:userTask id="t"><bpmn:extensionElements/></bpmn:userTask>{FOOTER}'
    element = etree.fromstring(xml.encode())[0][0]
    assert read_form(element) is None


def test_empty_form_data_is_an_empty_form():
    form = read_form(task(""))
    assert form is not None
    assert form.fields == ()


def test_start_event_form():
    form = read_form(task('<camunda:formField id="x" type="string"/>', tag="startEvent", element_id="start"))
    assert [f.id for f in form.fields] == ["x"]


def test_read_forms_maps_user_tasks_and_start_events_with_form_data():
    form_data = ('<bpmn:extensionElements><camunda:formData><camunda:formField id="{0}" type="string"/>'
                 "</camunda:formData></bpmn:extensionElements>")
    xml = (
        f'{HEADER}<bpmn:startEvent id="start">{form_data.format("s")}</bpmn:startEvent>'
        f'<bpmn:userTask id="plain"/>'
        f'<bpmn:serviceTask id="service">{form_data.format("ignored")}</bpmn:serviceTask>'
        f'<bpmn:subProcess id="sub"><bpmn:userTask id="inner">{form_data.format("i")}</bpmn:userTask>'
        f"</bpmn:subProcess>{FOOTER}"
    )
    forms = read_forms(etree.fromstring(xml.encode()))
    assert {key: [f.id for f in form.fields] for key, form in forms.items()} == {"start": ["s"], "inner": ["i"]}


@pytest.mark.parametrize(("fields", "problem"), [
    ('<camunda:formField id="x" type="money"/>', "unknown type 'money'"),
    ('<camunda:formField id="x"/>', "unknown type ''"),
    ('<camunda:formField type="string"/>', "its name in the data must be letters"),
    ('<camunda:formField id="2x" type="string"/>', "its name in the data must be letters"),
    ('<camunda:formField id="x" type="string"/><camunda:formField id="x" type="integer"/>',
     "two fields have this name in the data"),
    ('<camunda:formField id="x" type="enum"/>', "a choice field (enum) needs at least one option"),
    ('<camunda:formField id="x" type="enum"><camunda:value name="A"/></camunda:formField>',
     "every option needs a key"),
    ('<camunda:formField id="x" type="enum"><camunda:value id="a"/><camunda:value id="a"/></camunda:formField>',
     "two options have the same key"),
    ('<camunda:formField id="x" type="string"><camunda:value id="a"/></camunda:formField>',
     "options only apply to choice fields"),
    ('<camunda:formField id="x" type="reference"/>', "needs its record kind"),
    ('<camunda:formField id="x" type="reference"><camunda:properties>'
     '<camunda:property id="reference" value="invoice"/></camunda:properties></camunda:formField>',
     "needs its record kind"),
    ('<camunda:formField id="x" type="string"><camunda:properties>'
     '<camunda:property id="reference" value="user"/></camunda:properties></camunda:formField>',
     "a record kind only applies to record fields"),
    (constrained("string", '<camunda:constraint name="unique"/>'), "unknown constraint 'unique'"),
    (constrained("string", '<camunda:constraint name="required" config="maybe"/>'),
     "Required: must be true or false"),
    (constrained("integer", '<camunda:constraint name="min" config="ten"/>'),
     "Minimum: 'ten' is not valid: Not a valid whole number."),
    (constrained("integer", '<camunda:constraint name="max"/>'), "Maximum: '' is not valid"),
    (constrained("date", '<camunda:constraint name="max" config="31.12.2024"/>'),
     "Not a valid date (YYYY-MM-DD)."),
    (constrained("string", '<camunda:constraint name="min" config="1"/>'), "Minimum: only applies to"),
    (constrained("integer", '<camunda:constraint name="maxlength" config="3"/>'),
     "Maximum length: only applies to string, text fields"),
    (constrained("string", '<camunda:constraint name="minlength" config="-1"/>'),
     "Minimum length: must be a whole number, not '-1'"),
    (constrained("enum", '<camunda:constraint name="pattern" config="a"/>', '<camunda:value id="a"/>'),
     "Pattern: only applies to"),
    (constrained("string", '<camunda:constraint name="pattern" config="[a-"/>'),
     "Pattern: is not a valid regular expression"),
    (constrained("string", '<camunda:constraint name="pattern"/>'), "Pattern: must be a regular expression"),
    (constrained("integer", '<camunda:constraint name="min" config="5"/><camunda:constraint name="max" config="4"/>'),
     "Minimum is greater than Maximum"),
    (constrained("text", '<camunda:constraint name="minlength" config="5"/>'
                 '<camunda:constraint name="maxlength" config="4"/>'),
     "Minimum length is greater than Maximum length"),
    ('<camunda:formField id="x" type="integer" defaultValue="abc"/>',
     "default value 'abc' is not valid: Not a valid whole number."),
    ('<camunda:formField id="x" type="enum" defaultValue="z"><camunda:value id="a"/></camunda:formField>',
     "default value 'z' is not valid: Not a valid choice."),
    (constrained("integer", '<camunda:constraint name="max" config="5"/>').replace('type="integer"',
                                                                                  'type="integer" defaultValue="9"'),
     "default value '9' is not valid: Must be at most 5."),
    ('<camunda:formField id="x" type="integer" defaultValue="${a + b}"/>', "only a plain variable name"),
    ('<camunda:formField id="x" type="file" defaultValue="doc.pdf"/>', "a file field cannot have a default"),
])
def test_definition_errors_name_the_element_and_the_field(fields, problem):
    with pytest.raises(FormDefinitionError) as caught:
        read_form(task(fields))
    message = str(caught.value)
    assert message.startswith("Form field '") and "' of 'review': " in message
    assert problem in message
    assert caught.value.element_id == "review"
    assert caught.value.line == 1


def test_definition_error_carries_the_field_id_and_line():
    xml = (f'{HEADER}\n<bpmn:startEvent id="start">\n<bpmn:extensionElements><camunda:formData>\n'
           '<camunda:formField id="ok" type="string"/>\n<camunda:formField id="bad" type="float"/>\n'
           f"</camunda:formData></bpmn:extensionElements></bpmn:startEvent>{FOOTER}")
    with pytest.raises(FormDefinitionError) as caught:
        read_forms(etree.fromstring(xml.encode()))
    assert str(caught.value) == (
        "Form field 'bad' of 'start': unknown type 'float'; use one of string, text, integer, "
        "decimal, date, datetime, boolean, enum, multi_enum, reference, file"
    )
    assert (caught.value.element_id, caught.value.field_id, caught.value.line) == ("start", "bad", 5)
