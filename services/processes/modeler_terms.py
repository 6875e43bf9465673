"""The words the modeler's properties panel offers a process owner: field types, record kinds for reference
fields and for the record shown beside a task's form, each with a label in the reader's language."""

from __future__ import annotations

from forms.definition import FIELD_TYPES, REFERENCE_KINDS
from i18n import _l
from services.processes.task_context import VIEWS

FIELD_TYPE_LABELS = {
    "string": _l("Text (one line)"),
    "text": _l("Text (several lines)"),
    "integer": _l("Whole number"),
    "decimal": _l("Number or amount"),
    "date": _l("Date"),
    "datetime": _l("Date and time"),
    "boolean": _l("Yes / no"),
    "enum": _l("One choice of a list"),
    "multi_enum": _l("Several choices of a list"),
    "reference": _l("Record (customer, contact ...)"),
    "file": _l("File"),
}
RECORD_LABELS = {
    "customer": _l("Customer"),
    "contact": _l("Contact"),
    "user": _l("User"),
    "contract": _l("Contract"),
    "plan_line": _l("Plan line"),
    "payment": _l("Payment"),
    "service_order": _l("Service order"),
    "visit": _l("Visit"),
    "reception": _l("Reception"),
    "tender": _l("Tender"),
    "opportunity": _l("Opportunity"),
    "expense_claim": _l("Expense claim"),
    "sales_report": _l("Sales report"),
    "quality_batch": _l("Quality batch"),
}


def _choices(keys, labels) -> list[dict]:
    return [{"key": key, "label": str(labels.get(key, key))} for key in keys]


def form_terms() -> dict:
    """Field types (in the platform's order), reference kinds and context kinds with their labels."""
    return {"fieldTypes": _choices(FIELD_TYPES, FIELD_TYPE_LABELS),
            "referenceKinds": _choices(REFERENCE_KINDS, RECORD_LABELS),
            "contexts": _choices(sorted(VIEWS), RECORD_LABELS)}
