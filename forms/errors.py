"""Exceptions of the forms package; each carries a message fit for a user or a process author."""

from __future__ import annotations


class FormDefinitionError(Exception):
    """A ``camunda:formData`` block is wrong; the message names the element and the field.

    ``element_id``, ``field_id`` and ``line`` (the field's source line) locate the problem.
    """

    def __init__(
        self,
        message: str,
        *,
        element_id: str | None = None,
        field_id: str | None = None,
        line: int | None = None,
    ):
        self.element_id = element_id
        self.field_id = field_id
        self.line = line
        super().__init__(message)


class FormValidationError(Exception):
    """Submitted values failed validation; ``errors`` maps field ids to messages."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("invalid form data: " + ", ".join(sorted(errors)))
