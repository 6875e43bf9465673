"""Operations used only by the tests (loaded through CRM_HANDLER_MODULES, also in rq workers)."""

from __future__ import annotations

import os
import time

from engine.services import HandlerContext, HandlerRegistry


def register(registry: HandlerRegistry) -> None:
    @registry.register("test.echo")
    def echo(ctx: HandlerContext, **params):
        """Return the parameters it was given, plus who called."""
        return {**params, "actor": ctx.actor, "instance": ctx.instance_id}

    @registry.register("test.fail_while_file", background=True)
    def fail_while_file(ctx: HandlerContext, path: str):
        """Fail as long as ``path`` exists (an outside system that is down)."""
        if os.path.exists(path):
            raise ConnectionError(f"outside system unavailable ({os.path.basename(path)} present)")
        return {"ok": True}

    @registry.register("test.raise")
    def always_raise(ctx: HandlerContext, message: str = "boom"):
        """Always raise: a broken handler."""
        raise RuntimeError(message)

    @registry.register("test.slow", background=True)
    def slow(ctx: HandlerContext, seconds: float, marker: str = ""):
        """Sleep (so a test can kill the worker meanwhile); touch ``marker`` first."""
        if marker:
            with open(marker, "a") as handle:
                handle.write(f"{os.getpid()}\n")
        time.sleep(seconds)
        return {"slept": seconds}

    @registry.register("test.background_echo", background=True)
    def background_echo(ctx: HandlerContext, **params):
        """Like test.echo, but always in a job."""
        return {**params, "pid": os.getpid()}
