"""Links of a page that lists many rows: the URL is built once as a format string and each row's id put in
(``url_for`` matches and builds its rule again for every row): ``href="{{ links.quote % quote.id }}"``; integer
and text ids alike."""

from __future__ import annotations

from flask import url_for

_MARKER = 918273645
"""Stands for the id while the URL is built (an integer: integer rules accept it, text rules too)."""


def url_format(endpoint: str, key: str, **values) -> str:
    """The URL of ``endpoint`` with ``%s`` in place of its argument ``key``: ``url % row_id``."""
    url = url_for(endpoint, **{key: _MARKER}, **values).replace("%", "%%")
    if url.count(str(_MARKER)) != 1:
        raise ValueError(f"{endpoint}'s URL does not show {key} once, apart from its other values")
    return url.replace(str(_MARKER), "%s")
