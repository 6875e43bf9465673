"""The audit log: who did what to which target, when and why (deploys, migrations, admin actions)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from .base import CrmBase, utcnow


class AuditLog(CrmBase):
    """One audited action. ``target`` names what it acted on, e.g. ``process:approval`` or ``instance:42``."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(100), index=True)
    action: Mapped[str] = mapped_column(String(60), index=True)
    target: Mapped[str] = mapped_column(String(200), index=True)
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text, default="")


def record(
    session: Session, actor: str, action: str, target: str, detail: dict[str, Any] | None = None, reason: str = ""
) -> AuditLog:
    """Add an audit row in the caller's transaction (it is kept only if the action commits)."""
    entry = AuditLog(actor=actor, action=action, target=target, detail=detail, reason=reason)
    session.add(entry)
    session.flush()
    return entry


def entries(session: Session, *, action_prefix: str = "", target_prefix: str = "", limit: int = 50) -> list[AuditLog]:
    """The newest entries whose action and target start with the given prefixes."""
    return list(session.scalars(
        select(AuditLog)
        .where(AuditLog.action.startswith(action_prefix, autoescape=True),
               AuditLog.target.startswith(target_prefix, autoescape=True))
        .order_by(AuditLog.at.desc(), AuditLog.id.desc()).limit(limit)
    ))
