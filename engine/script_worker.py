"""A script worker process: evaluates restricted code for :mod:`engine.script_pool` under limits.

Started as ``python -m engine.script_worker MEMORY_BYTES`` with a bare environment. It caps its own
address space (``RLIMIT_AS``) once, then answers requests read from stdin, one at a time. Each
evaluation gets a CPU-time budget: a profiling timer (``ITIMER_PROF``) interrupts Python code that
exceeds it, and ``RLIMIT_CPU`` kills the process if C code (``sum(range(10**12))``) ignores that;
the parent's wall-clock timeout is the last line. After a memory error the worker answers and exits,
so the next evaluation starts in a fresh process.

Frames: 8-byte big-endian length + JSON. Request: ``{"op": "eval"|"exec", "source", "data", "external",
"cpu"}`` (data and external encoded by :mod:`engine.script_codec`). Answer: ``{"value": ...}`` (eval),
``{"changed": {...}, "deleted": [...]}`` (exec: only names whose value differs from what was sent),
``{"error": type, "message", "args", "line"}`` or ``{"limit": "cpu"|"memory"}``.
"""

from __future__ import annotations

import json
import math
import resource
import signal
import struct
import sys
import traceback

from . import restricted, script_codec

HEADER = struct.Struct(">Q")


class _CpuBudgetSpent(BaseException):
    """Raised by the profiling timer; a BaseException so scripts' ``except Exception`` cannot catch it."""


def main() -> None:
    memory_bytes = int(sys.argv[1])
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    signal.signal(signal.SIGPROF, _spent)
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while True:
        header = stdin.read(HEADER.size)
        if len(header) < HEADER.size:
            return  # the parent closed the pipe
        request = json.loads(stdin.read(HEADER.unpack(header)[0]))
        answer, stop = _answer(request)
        payload = answer.encode()
        stdout.write(HEADER.pack(len(payload)) + payload)
        stdout.flush()
        if stop:
            return


def _spent(_signum, _frame) -> None:
    raise _CpuBudgetSpent()


def _answer(request: dict) -> tuple[str, bool]:
    """The answer's JSON text, and whether this process should exit after sending it."""
    try:
        outcome = _run(request)
        return json.dumps(outcome, separators=(",", ":")), False
    except _CpuBudgetSpent:
        return '{"limit":"cpu"}', False
    except MemoryError:
        return '{"limit":"memory"}', True
    except BaseException as exc:  # the script's own error, reported to the caller with its type
        return _error(exc), False


def _run(request: dict) -> dict:
    data_raw = request["data"]
    data = script_codec.decode(data_raw)
    external = script_codec.decode(request["external"])
    used = sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
    budget = float(request["cpu"])
    soft = math.ceil(used + budget) + 2  # if C code never lets the timer's exception through
    resource.setrlimit(resource.RLIMIT_CPU, (soft, resource.RLIM_INFINITY))
    signal.setitimer(signal.ITIMER_PROF, budget)
    try:
        if request["op"] == "eval":
            value = restricted.evaluate(request["source"], data, external)
        else:
            values, deleted = restricted.execute(request["source"], data, external)
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
    if request["op"] == "eval":
        return {"value": script_codec.encode(value)}
    sent = data_raw if script_codec.TAG not in data_raw else {}
    changed = {}
    for key, value in values.items():
        encoded = script_codec.encode(value)
        if key not in sent or sent[key] != encoded:
            changed[key] = encoded
    return {"changed": changed, "deleted": deleted}


def _error(exc: BaseException) -> str:
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == "<string>":
            line = frame.lineno
    message = str(exc)[:2000]
    simple = all(type(a) in (str, int, float, bool) or a is None for a in exc.args) and len(repr(exc.args)) < 2000
    return json.dumps({"error": type(exc).__name__, "message": message, "line": line,
                       "args": list(exc.args) if simple else [message]}, separators=(",", ":"))


if __name__ == "__main__":
    main()
