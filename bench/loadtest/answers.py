"""How a simulated person fills in a form: from what the API says of it (``GET /api/tasks/<id>``, the start forms
of ``GET /api/processes``), never from knowledge of a particular process.

A person keeps what the form already shows (the task's initial values), answers every required field within
its type, options, bounds, lengths and pattern, picks records for reference fields the way the page's picker
offers them, and reads the task's rules: when an answer breaks one, they change the fields the rule names until
every rule holds (``rules`` are checked here with the server's own sandboxed evaluation over the task data and
the answers). Values are typed as the server types them (Decimals, dates, UTC date-times) until they are sent.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import math
import random
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from engine import restricted

PickReference = Callable[[str], int | None]
"""``pick(kind)``: the id of a record of ``kind`` the person may choose (None: there is none to choose)."""
HTML_TYPES = frozenset({"string", "text", "integer", "decimal", "enum", "boolean", "date", "reference"})
"""Field types a task page's HTML form takes as plain inputs (the others go through the JSON API)."""
LARGEST_AMOUNT = Decimal(100_000)
"""The largest amount a person types where the field sets no maximum."""
FORWARD_CHOICE = 0.75
"""How often a person takes an enum field's first option (approve, bid, accept…) rather than another one."""


_RNG = random.Random()


class CannotAnswer(LookupError):
    """A required field nobody could fill (no record to pick, a file to upload)."""


def fill(fields: list[dict], initial: dict, data: dict, rules: list[dict], pick: PickReference,
         rng: random.Random | None = None) -> dict[str, Any]:
    """Typed answers for the editable fields (readonly and unanswered fields are absent); raises
    :class:`CannotAnswer`. ``initial`` and ``data`` are as the API sends them (JSON)."""
    rng = rng or _RNG
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    answers: dict[str, Any] = {}
    for field in fields:
        if field["readonly"]:
            continue
        value = _kept(field, initial.get(field["id"]))
        if value is None:
            value = _answer(field, pick, rng, now)
        if value is not None:
            answers[field["id"]] = value
    if rules:
        _mend(fields, answers, _context(fields, initial, data), rules, now)
    return answers


def as_json(answers: dict[str, Any]) -> dict[str, Any]:
    """The answers as a JSON body: Decimals and dates as text, date-times in UTC with ``Z``."""
    return {key: _json_value(value) for key, value in answers.items()}


def as_html_form(answers: dict[str, Any]) -> dict[str, Any]:
    """The answers as an HTML form posts them (a ticked checkbox sends its value, ``true``; an unticked one
    nothing)."""
    return {key: "true" if value is True else _json_value(value) for key, value in answers.items()
            if value is not False}


def html_form_fits(fields: list[dict], answers: dict[str, Any]) -> bool:
    """Whether the task page's form can carry these answers (else a person's client uses the API)."""
    types = {field["id"]: field["type"] for field in fields}
    return all(types[key] in HTML_TYPES for key in answers)


# -- one field ------------------------------------------------------------------------------------------------------
def _kept(field: dict, shown: Any) -> Any:
    """The value the form shows, kept as it is (an unticked box or an empty value is no answer)."""
    if shown in (None, "", [], False):
        return None
    return _typed(field["type"], shown)


def _answer(field: dict, pick: PickReference, rng: random.Random, now: dt.datetime) -> Any:
    kind, required = field["type"], field["required"]
    if kind == "boolean":
        return True if required else rng.random() < 0.5
    if not required and not (kind == "decimal" and rng.random() < 0.5):  # amounts are often filled in
        return None
    if kind in ("string", "text"):
        return _text(field["minlength"], field["maxlength"] or (200 if kind == "string" else 2000), field["pattern"])
    if kind in ("integer", "decimal"):
        low, high = _range(field)
        number = _number(low, high, rng)
        if kind == "integer":
            return int(number.to_integral_value())
        return number.quantize(Decimal("0.01")).min(high).max(low)
    if kind == "date":
        return _within(field, now.date(), dt.date.fromisoformat)
    if kind == "datetime":
        return _within(field, now.replace(minute=0, second=0) + dt.timedelta(days=1), _utc)
    if kind == "enum":
        options = [option["value"] for option in field["options"]]
        return options[0] if rng.random() < FORWARD_CHOICE or len(options) == 1 else rng.choice(options[1:])
    if kind == "multi_enum":
        return rng.sample([option["value"] for option in field["options"]], k=min(2, len(field["options"])))
    if kind == "reference":
        chosen = pick(field["reference"]["kind"])
        if chosen is None:
            raise CannotAnswer(f"no {field['reference']['kind']} to choose for {field['id']}")
        return chosen
    raise CannotAnswer(f"cannot answer {field['id']} ({kind})")


def _range(field: dict) -> tuple[Decimal, Decimal]:
    """The numbers a person would type: within the field's bounds, from 1 (when allowed) up to 100,000 more."""
    low = Decimal(str(field["min"])) if field["min"] is not None else Decimal(0)
    high = Decimal(str(field["max"])) if field["max"] is not None else low + LARGEST_AMOUNT
    if low < 1 <= high:
        low = Decimal(1)
    return low, min(high, low + LARGEST_AMOUNT)


def _number(low: Decimal, high: Decimal, rng: random.Random) -> Decimal:
    """Uniform over a short range (a score of 1-5, hours), else spread over the orders of magnitude (amounts are
    mostly small, some large: a budget above an approval threshold goes to a higher approver)."""
    if high - low <= 100:
        return low + (high - low) * Decimal(rng.random())
    return low + Decimal(math.expm1(rng.random() * math.log1p(float(high - low))))


def _within(field: dict, wanted, parse):
    """``wanted`` moved inside the field's ``min``/``max`` (dates and date-times)."""
    if field["min"] is not None and wanted < parse(field["min"]):
        return parse(field["min"])
    if field["max"] is not None and wanted > parse(field["max"]):
        return parse(field["max"])
    return wanted


@functools.lru_cache(maxsize=64)
def _text(minlength: int | None, maxlength: int, pattern: str | None) -> str:
    """A short note within the lengths, or the simplest text matching ``pattern`` (found once per pattern)."""
    low = minlength or 1
    if pattern is None:
        return ("Load test " * (low // 10 + 1))[:maxlength].strip().ljust(low, ".")
    from hypothesis import errors, find, settings  # only forms with a pattern need it
    from hypothesis import strategies as st

    try:
        return find(st.from_regex(pattern, fullmatch=True), lambda text: low <= len(text) <= maxlength,
                    settings=settings(database=None, max_examples=2000))
    except errors.HypothesisException:
        raise CannotAnswer(f"no text of {low}-{maxlength} characters matches {pattern!r}") from None


# -- the rules ----------------------------------------------------------------------------------------------------
def _mend(fields: list[dict], answers: dict, context: dict, rules: list[dict], now: dt.datetime) -> None:
    """For each broken rule, change the answers it names (one field, then two at a time) to values that make it
    hold without breaking a rule that held."""
    by_id = {field["id"]: field for field in fields if not field["readonly"]}
    for rule in rules:
        if _holds(rule, {**context, **answers}, now):
            continue
        kept = [rule, *(other for other in rules if _holds(other, {**context, **answers}, now))]
        named = [by_id[name] for name in rule["fields"] if name in by_id]
        compared = [context[name] for name in rule["fields"] if name in context and name not in by_id]
        for size in (1, 2):
            change = _first_fit(named, size, compared, {**context, **answers}, kept, now)
            if change is not None:
                answers.update(change)
                break


def _first_fit(named: list[dict], size: int, compared: list, current: dict, rules: list[dict],
               now: dt.datetime) -> dict | None:
    """The first change of ``size`` of the ``named`` fields under which every one of ``rules`` holds."""
    for group in itertools.combinations(named, size):
        for values in itertools.product(*(_candidates(field, compared, now) for field in group)):
            change = {field["id"]: value for field, value in zip(group, values, strict=True)}
            if all(_holds(rule, {**current, **change}, now) for rule in rules):
                return change
    return None


def _candidates(field: dict, compared: list, now: dt.datetime) -> Iterable[Any]:
    """Values a person tries when a rule refuses an answer: the task data the rule compares it with, the lowest
    allowed, later dates and times, every option."""
    kind = field["type"]
    if kind in ("enum", "multi_enum"):
        return [option["value"] for option in field["options"]]
    if kind == "boolean":
        return [True, False]
    if kind == "date":
        return [now.date() + dt.timedelta(days=days) for days in (1, 2, 7, 30)]
    if kind == "datetime":
        return [now.replace(minute=0, second=0) + dt.timedelta(hours=hours) for hours in (24, 48, 168)]
    if kind in ("integer", "decimal"):
        low = Decimal(str(field["min"])) if field["min"] is not None else Decimal(0)
        high = Decimal(str(field["max"])) if field["max"] is not None else None
        numbers = [Decimal(value) for value in compared if isinstance(value, (int, Decimal))
                   and not isinstance(value, bool)]
        fitting = [n for n in numbers if n >= low and (high is None or n <= high)] + [low]
        return [int(n) for n in fitting if n == int(n)] if kind == "integer" else fitting
    return []


def _holds(rule: dict, context: dict, now: dt.datetime) -> bool:
    """Whether the rule holds on the server, whichever date "today" is in the site's zone (±1 day from UTC)."""
    try:
        return all(restricted.evaluate(rule["expression"], context, {"today": now.date() + dt.timedelta(days=d),
                                                                      "now": now})
                   for d in (-1, 0, 1))
    except Exception:  # a missing or mistyped value: the server refuses it the same way
        return False


def _context(fields: list[dict], initial: dict, data: dict) -> dict:
    """What the server evaluates rules over: the task data, each field's value (readonly ones as shown, the
    others empty until answered), typed."""
    context = {key: _guess_type(value) for key, value in data.items()}
    for field in fields:
        empty = {"boolean": False, "multi_enum": []}.get(field["type"])
        shown = initial.get(field["id"])
        context[field["id"]] = _typed(field["type"], shown) if field["readonly"] and shown is not None else empty
    return context


# -- values -------------------------------------------------------------------------------------------------------
def _typed(kind: str, value: Any) -> Any:
    """A JSON value of a field as the server holds it."""
    if value is None:
        return None
    if kind == "decimal":
        return Decimal(str(value))
    if kind == "date":
        return dt.date.fromisoformat(value)
    if kind == "datetime":
        return _utc(value)
    return value


def _guess_type(value: Any) -> Any:
    """Task data as the server holds it: the API sends Decimals as text, dates and date-times as ISO text."""
    if not isinstance(value, str):
        return value
    for parse in (dt.date.fromisoformat, _utc, Decimal):
        try:
            return parse(value)
        except (ValueError, ArithmeticError):
            continue
    return value


def _utc(text: str) -> dt.datetime:
    """ISO text (``Z`` or an offset) as naive UTC, as the server stores moments."""
    moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat() + "Z"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return value
