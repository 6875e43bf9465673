"""Every importable kind registered, and the import's job kinds (one import for app.py)."""

from __future__ import annotations

from . import customer_kind  # noqa: F401  (registers the kind)
from .jobs import JOB_KINDS
from .kinds import KINDS

__all__ = ["JOB_KINDS", "KINDS"]
