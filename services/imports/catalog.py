"""Every importable kind registered, and the import's job kinds (one import for app.py)."""

from __future__ import annotations

from . import customer_kind, history_kinds, record_kinds  # noqa: F401  (they register their kinds)
from .jobs import JOB_KINDS
from .kinds import KINDS

__all__ = ["JOB_KINDS", "KINDS"]
