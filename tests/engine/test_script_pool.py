"""The script worker pool and what may run in process: types survive, errors keep their kind, limits hold."""

from __future__ import annotations

import datetime as dt
import json
import os
from decimal import Decimal

import pytest

from engine import restricted, script_codec, script_pool
from engine.errors import ScriptLimitExceeded
from engine.sandbox import SandboxedEnvironment, ScriptLimits

FAST = ScriptLimits(cpu_seconds=1.0, memory_mb=128)


def test_task_data_types_survive_the_trip_to_a_worker():
    value = {
        "amount": Decimal("12.30"), "day": dt.date(2026, 1, 31), "at": dt.datetime(2026, 1, 31, 9, 30),
        "time": dt.time(17, 0), "wait": dt.timedelta(days=2, seconds=5), "pair": (1, "a"), "tags": {"x"},
        "by_id": {1: "one"}, "tricky": {"~": "not a tag"}, "nested": [{"n": None, "ok": True, "f": 1.5}],
    }
    assert script_codec.loads(script_codec.dumps(value)) == value
    with pytest.raises(TypeError, match="a range cannot be task data"):
        script_codec.dumps(range(3))


@pytest.mark.parametrize("source", [
    "approved == True", 'request["id"]', "amount > 50000000 and bid_decision == 'bid'", "not problems_found",
    "dmninputexpr <= 20000", "x if y else z", "grade in ('key', 'relationship')", "count + 1",
])
def test_code_that_cannot_run_away_runs_in_process(source):
    assert restricted.is_bounded(source, "eval")


@pytest.mark.parametrize("source", [
    "'a' * 10**9", "10 ** 10 ** 10", "sum(range(10**12))", "len(x)", "x[:]", "f'{x:>999999999}'",
    "'%999999999d' % 1", "a + b", "[y for y in x]", "x" * 600,
])
def test_anything_else_goes_to_a_worker(source):
    assert not restricted.is_bounded(source, "eval")


def test_simple_assignments_run_in_process_and_loops_do_not():
    assert restricted.is_bounded('tender_id = tender["tender_id"]', "exec")
    assert not restricted.is_bounded("while True:\n    pass", "exec")
    assert not restricted.is_bounded("a = b = c()", "exec")


def test_a_worker_runs_scripts_like_the_process_would():
    environment = SandboxedEnvironment(FAST)
    data = {"lines": [{"qty": 2, "price": Decimal("9.99")}], "gone": 1, "day": dt.date(2026, 1, 31)}
    environment.execute("lines.append({'qty': 1, 'price': Decimal('0.02')})\n"
                        "total = sum([l['qty'] * l['price'] for l in lines])\n"
                        "due = day + timedelta(days=1)\ndel gone\n", data)
    assert data == {"lines": [{"qty": 2, "price": Decimal("9.99")}, {"qty": 1, "price": Decimal("0.02")}],
                    "total": Decimal("20.00"), "day": dt.date(2026, 1, 31), "due": dt.date(2026, 2, 1)}
    assert environment.evaluate("len(lines) * 2", data) == 4


def test_a_script_error_in_a_worker_keeps_its_type_and_line():
    environment = SandboxedEnvironment(FAST)
    with pytest.raises(NameError, match="name 'missing' is not defined") as raised:
        environment.execute("a = 1\nb = len(missing)\n", {})
    assert raised.value.script_line == 2
    with pytest.raises(ZeroDivisionError):
        environment.evaluate("len('ab') / 0", {})


@pytest.mark.parametrize(("script", "limit"), [
    ("while True:\n    pass", "time limit of 1 s"),
    ("x = sum(range(10**12))", "time limit of 1 s"),
    ("try:\n    while True: pass\nexcept BaseException:\n    while True: pass", "time limit of 1 s"),
    ("x = 'a' * 10**9", "memory limit of 128 MB"),
    ("x = []\nwhile True:\n    x.append('a' * 100000)", "memory limit of 128 MB"),
    ("x = 'a' * (20 * 1024 * 1024)", "result is larger than 16 MB"),
])
def test_limits_stop_runaways_and_the_next_evaluation_works(script, limit):
    environment = SandboxedEnvironment(FAST)
    with pytest.raises(ScriptLimitExceeded, match=limit):
        environment.execute(script, {})
    assert environment.evaluate("len([1, 2])", {}) == 2


def test_a_forked_process_starts_its_own_workers():
    environment = SandboxedEnvironment(FAST)
    environment.evaluate("len('warm')", {})  # this process has a worker now
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        try:
            answer = {"value": environment.evaluate("len('child')", {}), "workers": worker_pids()}
        except BaseException as exc:
            answer = {"error": repr(exc)}
        os.write(write_end, json.dumps(answer).encode())
        os._exit(0)
    os.close(write_end)
    os.waitpid(child, 0)
    with os.fdopen(read_end) as pipe:
        answer = json.loads(pipe.read())
    assert answer["value"] == 5
    assert environment.evaluate("len('parent')", {}) == 6
    assert answer["workers"] and not set(answer["workers"]) & set(worker_pids())  # its own, not the parent's


def worker_pids() -> list[int]:
    return [w.process.pid for pool in script_pool._pools.values() for w in pool._idle]


def test_workers_get_no_secrets(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", "postgresql://user:secret@db/crm")
    environment = script_pool._bare_environment()
    assert "SECRET_KEY" not in environment and "DATABASE_URL" not in environment
