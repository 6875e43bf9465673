"""Paging of a list a page already holds (quotes, contracts), or reads a page at a time (service): 25 rows a page,
``?page=`` in the URL."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from flask import request

PER_PAGE = 25


@dataclass(frozen=True)
class Paged:
    items: Sequence
    page: int
    pages: int
    total: int


def _page_asked(argument: str, pages: int) -> int:
    """The page number the request asks for (``?page=``; out of range: the nearest page)."""
    raw = request.args.get(argument, "1")
    return min(max(int(raw), 1), pages) if raw.isdigit() else 1


def paginate(items: Sequence, argument: str = "page", per_page: int = PER_PAGE) -> Paged:
    """The page of ``items`` the request asks for (``?page=``; out of range: the nearest page)."""
    pages = max(1, -(-len(items) // per_page))
    page = _page_asked(argument, pages)
    return Paged(items[(page - 1) * per_page: page * per_page], page, pages, len(items))


def paginate_counted(total: int, fetch: Callable[[int, int], Sequence], argument: str = "page",
                     per_page: int = PER_PAGE) -> Paged:
    """Like :func:`paginate` for a list of ``total`` rows read a page at a time: ``fetch(offset, limit)``."""
    pages = max(1, -(-total // per_page))
    page = _page_asked(argument, pages)
    return Paged(fetch((page - 1) * per_page, per_page), page, pages, total)
