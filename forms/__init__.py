"""Forms of user tasks and start events: read from BPMN, validated, rendered and described as JSON."""

from .bpmn_reader import read_form, read_forms
from .declarations import Rule, TaskDeclarations, parse_rule, read_declarations, system_started_processes
from .definition import (
    FIELD_TYPES,
    REFERENCE_KINDS,
    FieldDefinition,
    FormDefinition,
    json_value,
    lookup_url,
)
from .errors import FormDefinitionError, FormValidationError
from .render import render_fields
from .validation import ReferenceProblem, initial_values, validate
from .wtf import apply_errors, build_wtform

__all__ = [
    "FIELD_TYPES",
    "REFERENCE_KINDS",
    "FieldDefinition",
    "FormDefinition",
    "FormDefinitionError",
    "FormValidationError",
    "ReferenceProblem",
    "Rule",
    "TaskDeclarations",
    "apply_errors",
    "build_wtform",
    "initial_values",
    "json_value",
    "lookup_url",
    "parse_rule",
    "read_declarations",
    "read_form",
    "read_forms",
    "render_fields",
    "system_started_processes",
    "validate",
]
