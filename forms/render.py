"""Render the fields of a WTForms form as Bootstrap 5 markup, errors and help text included."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from jinja2 import Environment
from markupsafe import Markup
from wtforms import BooleanField, Field, HiddenField, SelectField

_TEMPLATE = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True).from_string("""\
{% for field in hidden %}
{{ field() }}
{% endfor %}
{% for item in fields %}
{% set field = item.field %}
<div class="mb-3{{ ' form-check' if item.checkbox }}">
{% if item.checkbox %}
  {{ item.input }}
  {{ field.label(class="form-check-label") }}
{% else %}
  {{ field.label(class="form-label") }}
  {{ item.input }}
{% endif %}
{% if field.errors %}
  <div class="invalid-feedback" id="{{ field.id }}-feedback">{{ field.errors|join('<br>'|safe) }}</div>
{% endif %}
{% if field.description %}
  <div class="form-text" id="{{ field.id }}-help">{{ field.description }}</div>
{% endif %}
</div>
{% endfor %}
""")


def render_fields(wtform: FlaskForm) -> Markup:
    """Hidden fields (the CSRF token) followed by one Bootstrap ``mb-3`` block per visible field."""
    hidden = [field for field in wtform if isinstance(field, HiddenField)]
    visible = [_view(field) for field in wtform if not isinstance(field, HiddenField)]
    return Markup(_TEMPLATE.render(hidden=hidden, fields=visible))


def _view(field: Field) -> dict[str, Any]:
    checkbox = isinstance(field, BooleanField)
    css = "form-check-input" if checkbox else "form-select" if isinstance(field, SelectField) else "form-control"
    attributes = {"class": css + (" is-invalid" if field.errors else "")}
    described_by = [f"{field.id}-help"] * bool(field.description) + [f"{field.id}-feedback"] * bool(field.errors)
    if described_by:
        attributes["aria-describedby"] = " ".join(described_by)
    return {"field": field, "checkbox": checkbox, "input": field(**attributes)}
