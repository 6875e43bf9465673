"""What can be imported: per kind, its fields (with header synonyms in English and Chinese), the check of one row
through the same domain functions the HTML forms use, its duplicate keys, and how records are written and undone.

A kind is a :class:`ImportKind`; the registry :data:`KINDS` maps its key to it. Row checks raise
:class:`crm.fields.RecordInvalid` with one message per field.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session


@dataclass(frozen=True)
class ImportField:
    """One target field; ``synonyms`` are header texts (compared normalised) that suggest it."""

    name: str
    label: str
    synonyms: tuple[str, ...] = ()
    required: bool = False


@dataclass
class Keys:
    """The duplicate keys of one checked row (empty: not compared)."""

    registry: str = ""
    name: str = ""
    phone: str = ""
    email: str = ""


Checker = Callable[[Session, "Lookups", Mapping[str, str]], tuple[dict, Keys]]
Matcher = Callable[[Session, Sequence[Keys]], list[tuple[str, str, int] | None]]
"""For each row's keys: (reason, key value, id of the existing record) of its first match, or None."""


@dataclass(frozen=True)
class ImportKind:
    """An importable record type."""

    key: str
    label: str
    fields: tuple[ImportField, ...]
    check: Checker
    matches: Matcher
    create_many: Callable[[Session, list[dict], str, str], list[int]]
    """``(session, values per row, username, summary)`` -> ids of the new records, in order."""
    update_one: Callable[[Session, int, dict, str], dict]
    """``(session, id, values, username)`` -> the replaced values (for undo); only non-empty values are written."""
    model: type
    restore: Callable[[Session, int, dict, str], None]
    """``(session, id, replaced values, username)``: undo an update."""
    remove: Callable[[Session, list[int]], None]
    """Delete created records (and what only the import wrote about them): undo a creation."""
    unique_key: bool = False
    """The duplicate key is unique in the database (a product code): "create anyway" is refused."""
    reasons: tuple[str, str, str, str] = ("registry", "name", "phone", "email")
    """How the four duplicate keys (see :class:`Keys`) are named in group keys and on the page."""
    own_tables: tuple[str, ...] = ()
    """Tables the kind's records own (removed with them): their references to a record do not mean "in use"."""
    in_use: Callable[[Session, list[int]], str | None] | None = None
    """Why created records are in use already (a process about them, payments…), None when they are not."""

    def field(self, name: str) -> ImportField | None:
        return next((f for f in self.fields if f.name == name), None)


@dataclass
class Lookups:
    """Per-batch caches of references (users by name, customers by key) so each is read once."""

    cache: dict[tuple[str, str], Any] = field(default_factory=dict)

    def get(self, kind: str, key: str, load: Callable[[], Any]) -> Any:
        entry = (kind, key)
        if entry not in self.cache:
            if len(self.cache) > 50_000:  # a file naming very many references: stay bounded
                self.cache.clear()
            self.cache[entry] = load()
        return self.cache[entry]


def header_key(text: str) -> str:
    """A header compared without case, width, spaces, punctuation and a trailing ``*`` (required mark)."""
    folded = unicodedata.normalize("NFKC", str(text or "")).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


KINDS: dict[str, ImportKind] = {}
"""Registered kinds by key (filled by :mod:`services.imports.catalog`)."""


def register(kind: ImportKind) -> ImportKind:
    KINDS[kind.key] = kind
    return kind
