"""Declarative base of the CRM's tables (the engine keeps its own metadata)."""

from __future__ import annotations

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from engine.models import NAMING, utcnow

__all__ = ["CrmBase", "utcnow"]


class CrmBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
