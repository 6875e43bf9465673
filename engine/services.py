"""The handler registry: service-task operation names mapped to plain Python functions."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class HandlerContext:
    """What a handler may use: ids, a copy of the task data, the open session, the acting user."""

    instance_id: int
    process_key: str
    task_name: str
    data: Mapping[str, Any]
    session: Any
    actor: str
    services: Mapping[str, Any] = field(default_factory=dict)


Handler = Callable[..., Any]


@dataclass(frozen=True)
class Operation:
    """A registered operation; ``background`` ones run in a job, never inside a web request."""

    name: str
    func: Handler
    background: bool = False
    description: str = ""


class HandlerRegistry:
    """Operations by name. Handlers are called as ``func(ctx, **params)`` and return a JSON-able value."""

    def __init__(self, services: Mapping[str, Any] | None = None):
        self._operations: dict[str, Operation] = {}
        self.services = dict(services or {})

    def register(self, name: str, *, background: bool = False) -> Callable[[Handler], Handler]:
        """Decorator registering ``func`` under ``name``."""

        def decorate(func: Handler) -> Handler:
            if name in self._operations:
                raise ValueError(f"operation {name!r} registered twice")
            doc = (func.__doc__ or "").strip().splitlines()
            self._operations[name] = Operation(name, func, background, doc[0] if doc else "")
            return func

        return decorate

    def get(self, name: str) -> Operation | None:
        """The operation registered under ``name``, if any."""
        return self._operations.get(name)

    def names(self) -> list[str]:
        """Every registered operation name, sorted."""
        return sorted(self._operations)
