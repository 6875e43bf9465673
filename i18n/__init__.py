"""Translation of user-visible text, usable from every layer (engine, crm, services, forms, handlers, web).

Mark a string where it is written::

    from i18n import _, _l, _lp, ngettext

    raise RecordInvalid({"name": _("Enter a name of at most %(n)s characters.", n=200)})
    LABEL = _l("Customer")            # lazy: translated when shown, for module-level constants
    ngettext("%(num)d task", "%(num)d tasks", count)

The web layer plugs in Flask-Babel (:func:`use`), so a string is translated into the language of the
request (or of :func:`i18n.force_locale`'s block in jobs). Without it, or outside a request, the English
source text is used. The catalogs live in ``i18n/catalogs/<area>/<locale>/LC_MESSAGES/messages.po``;
``make messages`` extracts and updates them, see :mod:`i18n.catalogs` and docs/CONVENTIONS.md.
"""

from __future__ import annotations

import gettext as _gettext
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from typing import Any

from babel.support import LazyProxy

LANGUAGES: dict[str, str] = {"zh_CN": "中文", "en": "English"}
"""The languages the product ships complete catalogs for, with their names in their own language."""

_NULL = _gettext.NullTranslations()
_translations: Callable[[], _gettext.NullTranslations] = lambda: _NULL  # noqa: E731
_locale: Callable[[], str | None] = lambda: None  # noqa: E731
_forcing: Callable[[str], Any] | None = None
_forced: ContextVar[str | None] = ContextVar("i18n_forced_locale", default=None)
"""The language of the innermost :func:`force_locale` block (used outside an application context: jobs)."""


def use(translations: Callable[[], _gettext.NullTranslations], locale: Callable[[], str | None],
        force: Callable[[str], Any]) -> None:
    """Install the source of translations (the web layer passes Flask-Babel's functions)."""
    global _translations, _locale, _forcing
    _translations, _locale, _forcing = translations, locale, force


def _current() -> _gettext.NullTranslations:
    forced = _forced.get()
    try:
        if forced and _locale() != forced:  # a job outside any application context writing to someone
            return _catalogs_of(forced)
        return _translations() or _NULL
    except (RuntimeError, KeyError):  # no application context, or an app without Flask-Babel
        return _catalogs_of(forced) if forced else _NULL


@cache
def _catalogs_of(locale: str) -> _gettext.NullTranslations:
    """Every area's compiled catalog of ``locale`` merged, for translating outside an application context."""
    from babel import Locale
    from babel.support import Translations

    from .catalogs import translation_directories

    merged = None
    for directory in translation_directories():
        found = Translations.load(directory, [str(Locale.parse(locale))])
        if isinstance(found, Translations):
            merged = found if merged is None else merged.merge(found)
    return merged or _NULL


def _(message: str, **values: Any) -> str:
    """``message`` in the current language, with ``%(name)s`` placeholders filled from ``values``."""
    text = _current().gettext(message)
    return text % values if values else text


gettext = _


def ngettext(singular: str, plural: str, num: int, **values: Any) -> str:
    """The singular or plural form for ``num`` in the current language; ``%(num)d`` is ``num``."""
    values.setdefault("num", num)
    return _current().ngettext(singular, plural, num) % values


def pgettext(context: str, message: str, **values: Any) -> str:
    """``message`` translated within ``context`` (one English word, two meanings: ``pgettext("verb", "Close")``)."""
    text = _current().pgettext(context, message)
    return text % values if values else text


def _l(message: str, **values: Any) -> LazyProxy:
    """Like :func:`_` but translated each time it is shown (for constants defined at import time)."""
    return LazyProxy(_, message, enable_cache=False, **values)


lazy_gettext = _l


def _lp(context: str, message: str) -> LazyProxy:
    """Like :func:`pgettext` but translated each time it is shown: a constant's word whose sense the context
    pins down (``_lp("sales status", "open")``), so that no other area's ``open`` is taken for it."""
    return LazyProxy(pgettext, context, message, enable_cache=False)


lazy_pgettext = _lp


def current_locale() -> str | None:
    """The current language (``"zh_CN"``, ``"en"``), or None outside a request and a forced block."""
    try:
        return _locale() or _forced.get()
    except (RuntimeError, KeyError):
        return _forced.get()


@contextmanager
def force_locale(locale: str | None) -> Iterator[None]:
    """Translate in ``locale`` inside the block (a job writing an e-mail in its recipient's language)."""
    if not locale:
        yield
        return
    token = _forced.set(locale)
    try:
        if _forcing is None:
            yield
        else:
            with _forcing(locale):
                yield
    finally:
        _forced.reset(token)
