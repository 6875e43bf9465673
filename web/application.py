"""The Flask class of the application: Flask, minus work it repeats on every request for answers that never change."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from weakref import WeakKeyDictionary

from flask import Flask


class CrmFlask(Flask):
    """Flask that decides once per function whether it must be run through ``async_to_sync``.

    Flask asks :meth:`ensure_sync` for every hook and the view of every request (a dozen per request here), and
    each answer inspects the function again. The plain functions are remembered weakly, so functions made per
    request (``after_this_request``) are forgotten with it.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._plain_functions: WeakKeyDictionary[Callable[..., Any], bool] = WeakKeyDictionary()

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        try:
            if self._plain_functions.get(func):
                return func
        except TypeError:  # a builtin or another callable that cannot be weakly referenced
            return super().ensure_sync(func)
        sync = super().ensure_sync(func)
        if sync is func:
            self._plain_functions[func] = True
        return sync
