"""Who acts on processes and tasks: a username and the role keys they hold."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    """Who acts: a username and the role keys they hold."""

    username: str
    roles: frozenset[str] = frozenset()

    @property
    def is_admin(self) -> bool:
        return "administrator" in self.roles


SYSTEM = Actor("system", frozenset({"administrator"}))
