"""Task data to JSON and back for the script worker processes, keeping the types scripts see.

Plain JSON carries None, bools, numbers, strings, lists and string-keyed dicts; Decimals, dates,
datetimes, times, timedeltas, tuples, sets and dicts with other keys travel as ``{"~": tag, "v": ...}``
(a dict that itself holds the key ``"~"`` travels as a ``map``). Anything else cannot be task data:
:class:`TypeError` names it. Only these types are ever built back, so nothing a worker sends can make
the web process run code.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

TAG = "~"


def dumps(value: Any) -> str:
    """JSON text of ``value`` (task data, an expression's result)."""
    return json.dumps(encode(value), separators=(",", ":"), allow_nan=True)


def loads(text: str | bytes) -> Any:
    """The value :func:`dumps` wrote."""
    return decode(json.loads(text))


def encode(value: Any) -> Any:
    """``value`` as JSON-able data with tagged special types."""
    kind = type(value)
    if value is None or kind in (str, int, float, bool):
        return value
    if kind is list:
        return [encode(v) for v in value]
    if kind is dict:
        if TAG not in value and all(type(k) is str for k in value):
            return {k: encode(v) for k, v in value.items()}
        return {TAG: "map", "v": [[encode(k), encode(v)] for k, v in value.items()]}
    encoder = _ENCODERS.get(kind)
    if encoder is None:
        raise TypeError(f"a {kind.__name__} cannot be task data")
    return {TAG: encoder[0], "v": encoder[1](value)}


def decode(data: Any) -> Any:
    """The value :func:`encode` produced ``data`` from."""
    if isinstance(data, list):
        return [decode(v) for v in data]
    if isinstance(data, dict):
        tag = data.get(TAG)
        if tag is None:
            return {k: decode(v) for k, v in data.items()}
        return _DECODERS[tag](data["v"])
    return data


_ENCODERS = {
    Decimal: ("dec", str),
    dt.datetime: ("dt", dt.datetime.isoformat),
    dt.date: ("d", dt.date.isoformat),
    dt.time: ("t", dt.time.isoformat),
    dt.timedelta: ("td", lambda v: [v.days, v.seconds, v.microseconds]),
    tuple: ("tuple", lambda v: [encode(x) for x in v]),
    set: ("set", lambda v: [encode(x) for x in v]),
    frozenset: ("frozenset", lambda v: [encode(x) for x in v]),
}
_DECODERS = {
    "dec": Decimal,
    "dt": dt.datetime.fromisoformat,
    "d": dt.date.fromisoformat,
    "t": dt.time.fromisoformat,
    "td": lambda v: dt.timedelta(days=v[0], seconds=v[1], microseconds=v[2]),
    "tuple": lambda v: tuple(decode(x) for x in v),
    "set": lambda v: {decode(x) for x in v},
    "frozenset": lambda v: frozenset(decode(x) for x in v),
    "map": lambda v: {decode(k): decode(x) for k, x in v},
}
