"""The templates' ``_()``, ``gettext``, ``ngettext``, ``pgettext`` and ``npgettext``.

They behave as Jinja's "new style" gettext that Flask-Babel installs (the message is a format string filled
with the keyword arguments, ``num`` and ``context`` included, and is markup-safe where the template escapes),
with two differences that only save time: they take the evaluation context, not the template context (Jinja
copies the whole template context for every call of a context function inside a loop), and they read the
translations the request has already looked up (:func:`web.i18n.request_translations`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from babel.support import NullTranslations
from flask import Flask
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup


def install(app: Flask, translations: Callable[[], NullTranslations]) -> None:
    """Put the functions in ``app``'s Jinja environment, translating through ``translations()``."""

    def _format(eval_ctx: EvalContext, text: str, variables: dict[str, Any]) -> str:
        # Always a format string, as in Jinja's new style (a literal ``%`` is written ``%%``).
        return (Markup(text) if eval_ctx.autoescape else text) % variables

    @pass_eval_context
    def gettext(eval_ctx: EvalContext, string: str, /, **variables: Any) -> str:
        return _format(eval_ctx, translations().ugettext(string), variables)

    @pass_eval_context
    def ngettext(eval_ctx: EvalContext, singular: str, plural: str, num: int, /, **variables: Any) -> str:
        variables.setdefault("num", num)
        return _format(eval_ctx, translations().ungettext(singular, plural, num), variables)

    @pass_eval_context
    def pgettext(eval_ctx: EvalContext, context: str, string: str, /, **variables: Any) -> str:
        variables.setdefault("context", context)
        return _format(eval_ctx, translations().upgettext(context, string), variables)

    @pass_eval_context
    def npgettext(eval_ctx: EvalContext, context: str, singular: str, plural: str, num: int, /,
                  **variables: Any) -> str:
        variables.setdefault("context", context)
        variables.setdefault("num", num)
        return _format(eval_ctx, translations().unpgettext(context, singular, plural, num), variables)

    environment = app.jinja_env
    environment.newstyle_gettext = True  # how the i18n extension compiles {% trans %} blocks
    environment.globals.update(_=gettext, gettext=gettext, ngettext=ngettext, pgettext=pgettext,
                               npgettext=npgettext)
