"""Which files may be attached to forms, decided by their content (``filetype`` reads the magic bytes), never by
the name or the type the browser claims: documents, spreadsheets, presentations, pictures and plain text."""

from __future__ import annotations

import codecs

import filetype

from i18n import _l

ALLOWED = frozenset({
    "application/pdf", "application/rtf",
    "image/png", "image/jpeg", "image/gif", "image/webp", "image/tiff", "image/bmp", "image/heic",
    "application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
})
"""Types recognised by their magic bytes that forms accept."""
TEXT = "text/plain"
"""Files without magic bytes are accepted as plain text when they are UTF-8 without control characters."""
SNIFF_BYTES = 8192
DESCRIPTION = _l("PDF, pictures, Office or OpenDocument files and plain text")
_CONTROL = frozenset(chr(code) for code in range(32)) - set("\t\n\r\f")


def sniffed_type(head: bytes) -> str | None:
    """The content type of a file starting with ``head`` if forms accept it, else None."""
    kind = filetype.guess(head) if head else None
    if kind is not None:
        return kind.mime if kind.mime in ALLOWED else None
    return TEXT if _is_text(head) else None


def _is_text(head: bytes) -> bool:
    try:
        text = codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return not any(char in _CONTROL for char in text)
