"""A pseudo-language for finding text that does not go through the catalog.

Under :func:`pseudo_translations` every translated message reads ``⟦message⟧``. Whatever English is left on a
page outside those brackets was never marked — except data (names, numbers, codes), which the caller lists.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from unittest import mock

import flask_babel
from lxml import html

OPEN, CLOSE = "⟦", "⟧"
TEXT_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt", "data-confirm", "data-ask-reason")
_TRANSLATED = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")
"""An innermost translated message: a translated value inside a translated sentence is nested."""
_WORD = re.compile(r"[A-Za-z]{2,}")
_DATA_LIKE = re.compile(r"\S*[\d@_/.:]\S*")  # codes, numbers, e-mails, paths, times


class PseudoTranslations(gettext.NullTranslations):
    """Wraps every message in ⟦…⟧ (plural forms too)."""

    def gettext(self, message):
        return f"{OPEN}{message}{CLOSE}"

    def ngettext(self, singular, plural, n):
        return f"{OPEN}{singular if n == 1 else plural}{CLOSE}"

    def pgettext(self, context, message):
        return self.gettext(message)

    def npgettext(self, context, singular, plural, n):
        return self.ngettext(singular, plural, n)

    ugettext, ungettext, upgettext, unpgettext = gettext, ngettext, pgettext, npgettext  # Flask-Babel's names


@contextmanager
def pseudo_translations() -> Iterator[None]:
    """Every message of every request inside the block is pseudo-translated."""
    with mock.patch.object(flask_babel.Domain, "get_translations", lambda self: PseudoTranslations()):
        yield


def _texts(document) -> Iterator[str]:
    for element in document.iter():
        if not isinstance(element.tag, str) or element.tag in ("script", "style"):
            continue
        if element.text:
            yield element.text
        for attribute in TEXT_ATTRIBUTES:
            if element.get(attribute):
                yield element.get(attribute)
        if element.tag == "input" and element.get("type") in ("submit", "button") and element.get("value"):
            yield element.get("value")
    for element in document.iter():
        if isinstance(element.tag, str) and element.tail and element.getparent() is not None \
                and element.getparent().tag not in ("script", "style"):
            yield element.tail


def unmarked_text(page: str, data: Iterable[str] = ()) -> list[str]:
    """The bits of ``page`` that read as English words but are neither translated nor listed ``data``."""
    found = []
    data = sorted((d for d in data if d), key=len, reverse=True)
    for text in _texts(html.fromstring(page)):
        rest, before = text, None
        while rest != before:  # innermost first: "⟦⟦Monthly⟧ report of Sam⟧"
            before, rest = rest, _TRANSLATED.sub(" ", rest)
        for value in data:
            rest = rest.replace(value, " ")
        rest = _DATA_LIKE.sub(" ", rest)
        if _WORD.search(rest):
            found.append(" ".join(text.split()))
    return found
