"""Which column feeds which field: suggested from remembered choices first, then from header synonyms in English
and Chinese; the user's choice is remembered per header for the next file of the kind."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.base import utcnow
from crm.imports.models import ImportColumnChoice
from i18n import _

from .kinds import ImportKind, header_key

IGNORED = ""


def suggest(session: Session, kind: ImportKind, headers: Sequence[str]) -> dict[str, str]:
    """Column index (as text) -> field name, each field used once; remembered choices win over synonyms."""
    keys = [header_key(h) for h in headers]
    remembered = {c.header: c.field for c in session.scalars(
        select(ImportColumnChoice).where(ImportColumnChoice.kind == kind.key,
                                         ImportColumnChoice.header.in_([k for k in keys if k])))}
    synonyms = {header_key(s): f.name for f in kind.fields for s in ((*f.synonyms, f.name, f.label))}
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for source in (remembered, synonyms):
        for index, key in enumerate(keys):
            name = source.get(key)
            if str(index) in mapping or name is None or (name and name in used):
                continue
            mapping[str(index)] = name
            if name:
                used.add(name)
    return {index: name for index, name in mapping.items() if name}


def problems(kind: ImportKind, mapping: Mapping[str, str]) -> list[str]:
    """What is wrong with a mapping: a field fed by two columns, a required field fed by none."""
    found: list[str] = []
    names = [name for name in mapping.values() if name]
    for name in sorted({n for n in names if names.count(n) > 1}):
        label = kind.field(name).label if kind.field(name) else name
        found.append(_("%(field)s: chosen for more than one column", field=label))
    for f in kind.fields:
        if f.required and f.name not in names:
            found.append(_("%(field)s: choose the column that holds it", field=f.label))
    return found


def remember(session: Session, kind: ImportKind, headers: Sequence[str], mapping: Mapping[str, str],
             by: str) -> None:
    """Store each header's chosen field (or that it was left out) for the next file of this kind."""
    keys = {header_key(h): mapping.get(str(i), IGNORED) for i, h in enumerate(headers) if header_key(h)}
    existing = {c.header: c for c in session.scalars(
        select(ImportColumnChoice).where(ImportColumnChoice.kind == kind.key,
                                         ImportColumnChoice.header.in_(list(keys))))}
    for key, name in keys.items():
        choice = existing.get(key) or ImportColumnChoice(kind=kind.key, header=key[:200])
        choice.field, choice.chosen_by, choice.chosen_at = name, by, utcnow()
        session.add(choice)
    session.flush()


def form_of(row: Sequence[str], mapping: Mapping[str, str]) -> dict[str, str]:
    """The row as the form fields its mapped columns feed."""
    return {name: (row[int(index)] if int(index) < len(row) else "") for index, name in mapping.items() if name}
