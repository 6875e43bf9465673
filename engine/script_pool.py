"""Supervised worker processes that run restricted code under a CPU-time and a memory limit.

Each web, worker or scheduler process has its own small pool, started lazily and rebuilt after a fork
(``os.register_at_fork``: a gunicorn or rq child never talks to its parent's workers). A worker
(:mod:`engine.script_worker`) caps its address space and the CPU time of every evaluation; the pool
adds a wall-clock deadline (the CPU limit plus :data:`WALL_MARGIN_SECONDS`): a worker that misses it
is killed and replaced, so the caller always gets an answer within that time. Data travels as JSON
(:mod:`engine.script_codec`); a worker's answer is capped at :data:`MAX_ANSWER_BYTES`.
"""

from __future__ import annotations

import builtins
import json
import os
import select
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from i18n import _

from . import script_codec
from .errors import ScriptLimitExceeded
from .script_worker import HEADER

PROJECT_ROOT = Path(__file__).resolve().parent.parent
WALL_MARGIN_SECONDS = 0.5
MAX_ANSWER_BYTES = 16 * 1024 * 1024
WORKERS_PER_PROCESS = 4


@dataclass(frozen=True)
class ScriptLimits:
    """What one evaluation (a script, a condition, an expression) may use."""

    cpu_seconds: float = 2.0
    memory_mb: int = 256

    def describe(self, kind: str) -> str:
        """The sentence an over-the-limit evaluation fails with."""
        if kind == "cpu":
            return _("stopped: it ran longer than the time limit of %(n)s s (CRM_SCRIPT_CPU_SECONDS)",
                     n=format(self.cpu_seconds, "g"))
        if kind == "memory":
            return _("stopped: it needed more than the memory limit of %(n)s MB (CRM_SCRIPT_MEMORY_MB)",
                     n=self.memory_mb)
        return _("stopped: its result is larger than %(n)s MB", n=MAX_ANSWER_BYTES // (1024 * 1024))


class ScriptError(Exception):
    """A script failed in a worker with an exception that is not a Python builtin (named in the message)."""


def evaluate(expression: str, context: dict, external_context: dict | None, limits: ScriptLimits) -> Any:
    """Evaluate an expression in a worker; raises what it raised, or :class:`ScriptLimitExceeded`."""
    answer = _pool(limits.memory_mb).run(_request("eval", expression, context, external_context, limits), limits)
    return script_codec.decode(answer["value"])


def execute(
    script: str, context: dict, external_context: dict | None, limits: ScriptLimits
) -> tuple[dict, list[str]]:
    """Run a script in a worker; returns (changed task data, deleted names) like ``restricted.execute``."""
    answer = _pool(limits.memory_mb).run(_request("exec", script, context, external_context, limits), limits)
    return script_codec.decode(answer["changed"]), answer["deleted"]


def _request(op: str, source: str, context: dict, external_context: dict | None, limits: ScriptLimits) -> bytes:
    return json.dumps({
        "op": op, "source": source, "data": script_codec.encode(context),
        "external": script_codec.encode(external_context or {}), "cpu": limits.cpu_seconds,
    }, separators=(",", ":")).encode()


class _Worker:
    """One worker process and its pipes; used by one thread at a time."""

    def __init__(self, memory_mb: int):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "engine.script_worker", str(memory_mb * 1024 * 1024)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, bufsize=0,
            cwd=PROJECT_ROOT, env=_bare_environment(), close_fds=True,
        )

    def ask(self, request: bytes, deadline: float) -> bytes | None:
        """Send a request and read the answer; None if the deadline passed (the worker is then killed)."""
        try:
            self._write(HEADER.pack(len(request)) + request)
        except BrokenPipeError:
            self.kill()
            raise _Gone() from None
        try:
            header = self._read(HEADER.size, deadline)
            size = HEADER.unpack(header)[0] if header is not None else None
            if size is not None and size > MAX_ANSWER_BYTES:
                self.kill()
                raise _TooLarge()
            body = self._read(size, deadline) if size is not None else None
        except EOFError:
            body = None  # killed while evaluating (RLIMIT_CPU): over the limit
        if body is None:
            self.kill()
        return body

    def _write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(self.process.stdin.fileno(), view):]

    def _read(self, size: int, deadline: float) -> bytes | None:
        fd, chunks, left = self.process.stdout.fileno(), [], size
        while left:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                return None
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                raise EOFError()
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        if self.alive:
            self.process.kill()
        self.process.wait()
        self.close()

    def close(self) -> None:
        """Close this process's ends of the pipes (also after a fork, without touching the worker)."""
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                pipe.close()


class _TooLarge(Exception):
    """The worker's answer is larger than :data:`MAX_ANSWER_BYTES`."""


class _Gone(Exception):
    """The worker had exited before it read the request."""


class _Pool:
    """Up to :data:`WORKERS_PER_PROCESS` workers of one memory limit, started when first needed."""

    def __init__(self, memory_mb: int):
        self.memory_mb = memory_mb
        self._idle: list[_Worker] = []
        self._started = 0
        self._free = threading.Condition()

    def run(self, request: bytes, limits: ScriptLimits) -> dict:
        for _attempt in range(2):  # a worker found dead before it got the request is replaced once
            worker = self._acquire()
            try:
                body = worker.ask(request, time.monotonic() + limits.cpu_seconds + WALL_MARGIN_SECONDS)
                answer = json.loads(body) if body is not None else {"limit": "cpu"}
                if answer.get("limit") == "memory":
                    worker.kill()  # it exits after a memory error: never hand it out again
            except _Gone:
                continue
            except _TooLarge:
                answer = {"limit": "answer"}
            finally:
                self._release(worker)
            if "limit" in answer:
                raise ScriptLimitExceeded(limits.describe(answer["limit"]))
            if "error" in answer:
                raise _rebuilt(answer)
            return answer
        raise ScriptLimitExceeded(limits.describe("cpu"))

    def _acquire(self) -> _Worker:
        with self._free:
            while not self._idle and self._started >= WORKERS_PER_PROCESS:
                self._free.wait()
            if self._idle:
                return self._idle.pop()
            self._started += 1
        try:
            return _Worker(self.memory_mb)
        except BaseException:
            with self._free:
                self._started -= 1
                self._free.notify()
            raise

    def _release(self, worker: _Worker) -> None:
        with self._free:
            if worker.alive:
                self._idle.append(worker)
            else:
                worker.kill()
                self._started -= 1
            self._free.notify()

    def forget(self) -> None:
        """After a fork: drop the parent's workers without stopping them."""
        for worker in self._idle:
            worker.close()
        self._idle.clear()


def _rebuilt(answer: dict) -> Exception:
    """The worker's exception as one of the same builtin type (scripts raise ordinary Python errors)."""
    cls = getattr(builtins, answer["error"], None)
    if isinstance(cls, type) and issubclass(cls, Exception):
        try:
            exc = cls(*answer["args"])
        except Exception:
            exc = cls(answer["message"])
    else:
        exc = ScriptError(f"{answer['error']}: {answer['message']}")
    exc.script_line = answer.get("line")
    return exc


def _bare_environment() -> dict[str, str]:
    """No secrets for code that runs scripts: only what Python needs to start."""
    keep = ("PATH", "LANG", "LC_ALL", "PYTHONPATH", "VIRTUAL_ENV")
    return {k: v for k, v in os.environ.items() if k in keep}


_pools: dict[int, _Pool] = {}
_pools_lock = threading.Lock()


def _pool(memory_mb: int) -> _Pool:
    with _pools_lock:
        pool = _pools.get(memory_mb)
        if pool is None:
            pool = _pools[memory_mb] = _Pool(memory_mb)
        return pool


def _after_fork_in_child() -> None:
    global _pools_lock
    _pools_lock = threading.Lock()
    for pool in _pools.values():
        pool.forget()
    _pools.clear()


os.register_at_fork(after_in_child=_after_fork_in_child)
