"""Paging of a list a page already holds (quotes, contracts, service): 25 rows a page, ``?page=`` in the URL."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask import request

PER_PAGE = 25


@dataclass(frozen=True)
class Paged:
    items: Sequence
    page: int
    pages: int
    total: int


def paginate(items: Sequence, argument: str = "page", per_page: int = PER_PAGE) -> Paged:
    """The page of ``items`` the request asks for (``?page=``; out of range: the nearest page)."""
    raw = request.args.get(argument, "1")
    pages = max(1, -(-len(items) // per_page))
    page = min(max(int(raw), 1), pages) if raw.isdigit() else 1
    return Paged(items[(page - 1) * per_page: page * per_page], page, pages, len(items))
