"""One page of a record kind: keyset (cursor) pagination over a sort key and the id, so a page never skips or repeats
a row when rows are added meanwhile; filters, ``updated_since``, the viewer's data scope."""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import and_, or_
from sqlalchemy.orm import Session

from i18n import zones
from services.records.kinds import KINDS, OwnerScope

MAX_LIMIT = 200
DEFAULT_LIMIT = 50


class BadListing(ValueError):
    """A list argument that cannot be used: ``problem`` names it (``sort``, ``limit``, ``updated_since``,
    ``filter``, ``cursor``, ``cursor_sort``), ``values`` fill the message the caller shows."""

    def __init__(self, problem: str, **values):
        super().__init__(problem)
        self.problem, self.values = problem, values


@dataclass(frozen=True)
class Listing:
    """What the caller asked for, checked."""

    sort: str = "id"
    descending: bool = False
    limit: int = DEFAULT_LIMIT
    cursor: tuple | None = None
    updated_since: dt.datetime | None = None
    filters: tuple[tuple[str, object], ...] = ()


@dataclass(frozen=True)
class Page:
    items: list
    next_cursor: str | None


def read_listing(name: str, args: Mapping[str, str]) -> Listing:
    """Check the query arguments of a list request (:class:`BadListing` says what is wrong)."""
    kind = KINDS[name]
    sort = args.get("sort", "id")
    descending = sort.startswith("-")
    sort = sort.lstrip("-")
    if sort not in kind.sorts:
        raise BadListing("sort", sorts=", ".join(sorted(kind.sorts)))
    raw_limit = args.get("limit", str(DEFAULT_LIMIT))
    if not raw_limit.isdecimal() or not 1 <= int(raw_limit) <= MAX_LIMIT:
        raise BadListing("limit", most=MAX_LIMIT)
    since = None
    if args.get("updated_since"):
        since = _datetime(args["updated_since"])
    filters = []
    for argument, (_, parse) in kind.filters.items():
        if argument in args:
            try:
                filters.append((argument, parse(args[argument])))
            except ValueError:
                raise BadListing("filter", argument=argument) from None
    cursor = _decode(args["cursor"], sort, descending) if args.get("cursor") else None
    return Listing(sort, descending, int(raw_limit), cursor, since, tuple(filters))


def page(session: Session, name: str, scope: OwnerScope, listing: Listing) -> Page:
    """The rows after the cursor, at most ``limit``, and the cursor of the next page (None on the last one)."""
    kind = KINDS[name]
    key, ident = kind.sorts[listing.sort], kind.model.id
    query = kind.in_scope(kind.base(), scope)
    for argument, value in listing.filters:
        query = query.where(kind.filters[argument][0] == value)
    if listing.updated_since is not None:
        query = query.where(kind.changed >= listing.updated_since)
    if listing.cursor is not None:
        value, last_id = listing.cursor
        after = (key < value) if listing.descending else (key > value)
        same = (ident < last_id) if listing.descending else (ident > last_id)
        query = query.where(or_(after, and_(key == value, same))) if listing.sort != "id" else query.where(same)
    order = (key.desc(), ident.desc()) if listing.descending else (key.asc(), ident.asc())
    rows = list(session.scalars(query.order_by(*order).limit(listing.limit + 1)))
    more = len(rows) > listing.limit
    rows = rows[:listing.limit]
    next_cursor = _encode(listing, _value_of(session, kind, rows[-1], listing.sort), rows[-1].id) if more else None
    return Page(rows, next_cursor)


def _value_of(session: Session, kind, row, sort: str):
    """The sort key's value for ``row`` (read through the expression, so computed keys work too)."""
    if sort == "id":
        return row.id
    return session.scalar(kind.base().with_only_columns(kind.sorts[sort]).where(kind.model.id == row.id))


def _encode(listing: Listing, value, row_id: int) -> str:
    if isinstance(value, dt.datetime):
        typed = ["dt", value.isoformat()]
    elif isinstance(value, dt.date):
        typed = ["d", value.isoformat()]
    elif isinstance(value, Decimal):
        typed = ["n", str(value)]
    else:
        typed = ["v", value]
    raw = json.dumps({"s": ("-" if listing.descending else "") + listing.sort, "k": typed, "i": row_id})
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(text: str, sort: str, descending: bool) -> tuple:
    try:
        raw = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
        tag, value = raw["k"]
        row_id = raw["i"]
        if raw["s"] != ("-" if descending else "") + sort or not isinstance(row_id, int):
            raise BadListing("cursor_sort")
        parsed = {"dt": _stored_moment, "d": dt.date.fromisoformat, "n": Decimal, "v": lambda v: v}[tag](value)
    except BadListing:
        raise
    except (ValueError, TypeError, KeyError, AttributeError, json.JSONDecodeError, ArithmeticError):
        raise BadListing("cursor") from None
    if not isinstance(parsed, (str, int, dt.date, Decimal)) or isinstance(parsed, bool):
        raise BadListing("cursor")
    return parsed, row_id


def _stored_moment(text: str) -> dt.datetime:
    """A cursor's date-time, written as stored (naive UTC): read back as it is, whoever reads it."""
    return zones.to_utc(dt.datetime.fromisoformat(text), zones.UTC)


def _datetime(text: str) -> dt.datetime:
    """An ISO-8601 date-time as stored (naive UTC): with an offset it names its moment, without one it is
    wall-clock time in the caller's zone (as every date-time the API reads)."""
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (ValueError, TypeError):
        raise BadListing("updated_since") from None
    return zones.to_utc(value)
