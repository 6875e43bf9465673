"""Thin task handlers: one small function per service-task operation, registered by name."""

from __future__ import annotations

import importlib
from collections.abc import Iterable

from engine.services import HandlerRegistry

BUILT_IN: tuple[str, ...] = ("customers", "sales", "orders", "service", "reporting", "quality")
"""Modules of this package whose ``register(registry)`` adds their operations."""


def register_all(registry: HandlerRegistry, extra_modules: Iterable[str] = ()) -> None:
    """Register every built-in operation, then those of ``extra_modules`` (dotted import paths)."""
    for name in (*(f"handlers.{m}" for m in BUILT_IN), *extra_modules):
        importlib.import_module(name).register(registry)
